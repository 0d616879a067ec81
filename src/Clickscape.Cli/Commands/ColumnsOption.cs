using System.CommandLine;
using Clickscape.Data;
using Clickscape.Data.Formats;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>--columns x,y,z,r,g,b,sem,ins</c>: what the columns of N×K point tables (<c>.npy</c>, raw <c>.bin</c>, text) hold.
/// Every command that reads scenes adds it with one line (<c>var columns = new ColumnsOption();</c> in its option
/// list) and reads it with <see cref="ReadOptions"/>; the names are parsed there, so a bad name is the usual
/// one-line error.
/// </summary>
internal sealed class ColumnsOption : Option<string?>
{
    public ColumnsOption()
        : base("--columns")
    {
        Description = "Column names of N×K point arrays (.npy, .bin, text), e.g. x,y,z,r,g,b,sem,ins (also nx,ny,nz; _ skips a column). "
            + "Without it only 3, 6 and 9 columns are read (x y z [r g b [nx ny nz]]); other widths are refused rather than guessed.";
    }

    /// <summary>The column map given, or null.</summary>
    public ColumnMap? Map(ParseResult parse)
    {
        if (parse.GetValue(this) is not { } text) return null;
        try
        {
            return ColumnMap.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message, e);
        }
    }

    /// <summary>The names given (checked), or null: for the run configuration's <c>data.columns</c>.</summary>
    public string? Text(ParseResult parse)
    {
        Map(parse);
        return parse.GetValue(this);
    }

    /// <summary>Scene reading options with the column map given.</summary>
    public SceneReadOptions ReadOptions(ParseResult parse) => new() { Columns = Map(parse) };
}
