namespace Clickscape.Training.Tests.Shared;

/// <summary>A temporary folder deleted when the test ends.</summary>
public abstract class TempFolder : IDisposable
{
    /// <summary>The folder.</summary>
    protected string Dir { get; } = Directory.CreateTempSubdirectory("clickscape-train-").FullName;

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
        GC.SuppressFinalize(this);
    }
}
