using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clickscape.Cli.Commands;

/// <summary>
/// An option whose value is a JSON object, given inline (<c>'{"bandwidth": 0.8}'</c>) or as a file path — for the
/// overrides merged over a run's configuration sections (<c>predict --inference</c>, <c>pseudo-label --loss</c>).
/// Anything else is the usual one-line error naming the option.
/// </summary>
internal sealed class JsonObjectOption : Option<string?>
{
    public JsonObjectOption(string name, string description)
        : base(name)
    {
        Description = description;
    }

    /// <summary>The object given, or null.</summary>
    public JsonObject? Get(ParseResult parse)
    {
        if (parse.GetValue(this) is not { } text) return null;
        bool inline = text.TrimStart() is ['{' or '[', ..];
        string source = inline ? Name : text;
        try
        {
            var node = JsonNode.Parse(inline ? text : File.ReadAllText(text), documentOptions: Clickscape.Training.Configs.ConfigLoader.DocumentOptions);
            return node as JsonObject ?? throw new UsageException($"{source}: expected a JSON object, not {node?.GetValueKind().ToString() ?? "null"}");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{source}: not valid JSON ({e.Message})", e);
        }
        catch (IOException e) when (!inline)
        {
            throw new UsageException($"{Name} {text}: cannot read the file ({e.Message})", e);
        }
    }
}
