namespace Clickscape.Tensors.Tests;

/// <summary>
/// Tests that change the process-wide <see cref="Threading.ComputeThreads.Count"/> join this collection:
/// they run one at a time and never alongside other test classes.
/// </summary>
[CollectionDefinition("ComputeThreads", DisableParallelization = true)]
public sealed class ComputeThreadsCollection;
