namespace Clickscape.Data.IO;

/// <summary>
/// A file or folder a user brought is not what it should be. The message is one line that names the file
/// and says what was expected, cleaned by <see cref="ErrorText.OneLine"/> (control bytes escaped, long tokens cut);
/// the command line prints it as is and exits non-zero.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/>; the message becomes "path: problem".</summary>
    public DataFormatException(string path, string problem)
        : base(ErrorText.OneLine($"{path}: {problem}"))
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>Creates the error with an inner cause (an I/O error, a JSON parse error).</summary>
    public DataFormatException(string path, string problem, Exception inner)
        : base(ErrorText.OneLine($"{path}: {problem}"), inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file or folder at fault.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
