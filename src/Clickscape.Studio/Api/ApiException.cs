namespace Clickscape.Studio.Api;

/// <summary>
/// A request the server refuses, with the HTTP status and the one-line message the browser shows (never a stack
/// trace). <see cref="CurrentVersion"/> is set for a stale-version conflict (409) so the client can reload.
/// </summary>
public sealed class ApiException : Exception
{
    /// <summary>Creates the error.</summary>
    public ApiException(int status, string message, int? currentVersion = null) : base(message)
    {
        Status = status;
        CurrentVersion = currentVersion;
    }

    /// <summary>Creates a 400 error.</summary>
    public ApiException(string message) : this(400, message)
    {
    }

    /// <summary>Creates a 400 error with no message (prefer the other constructors).</summary>
    public ApiException() : this(400, "bad request")
    {
    }

    /// <summary>Creates a 400 error with its cause.</summary>
    public ApiException(string message, Exception inner) : base(message, inner)
    {
        Status = 400;
    }

    /// <summary>HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The scene's version now, for a 409.</summary>
    public int? CurrentVersion { get; }
}
