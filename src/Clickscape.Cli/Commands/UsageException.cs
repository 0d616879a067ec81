namespace Clickscape.Cli.Commands;

/// <summary>
/// A deliberate validation error of a command's options (an option out of range, two options that contradict
/// each other): <see cref="CommandAction"/> prints it as one <c>error: …</c> line and exits 1. Throw it only
/// from command code, with a message that names the option and what was expected.
/// </summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the error.</summary>
    public UsageException(string message) : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public UsageException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates an error with no message (prefer the other constructors).</summary>
    public UsageException() : base("invalid command-line usage")
    {
    }
}
