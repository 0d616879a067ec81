namespace Clickscape.Training.Configs;

/// <summary>
/// A training configuration is wrong: an unknown component name, a missing <c>_base_</c>, a cycle, a value of the
/// wrong type. The message is one line naming the file (or preset) and the key, and what was expected.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the error.</summary>
    public ConfigException(string message) : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public ConfigException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates an error with no message (prefer the other constructors).</summary>
    public ConfigException() : base("invalid training configuration")
    {
    }
}
