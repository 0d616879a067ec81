// The trainer sets the global compute thread count for a run (ComputeThreads.Count); tests that pin bit-exact
// losses must not run beside one another, so the test classes of this assembly run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
