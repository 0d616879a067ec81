namespace Clickscape.Data.Clicks;

/// <summary>How simulated annotators choose their clicks.</summary>
public enum ClickPolicy
{
    /// <summary>One thing one click: one uniformly random point per instance (ClickSeg's setting).</summary>
    OneThingOneClick,

    /// <summary>Two random points per instance (ClickSeg Tab. 1, "1t2c").</summary>
    OneThingTwoClicks,

    /// <summary>Three random points per instance ("1t3c").</summary>
    OneThingThreeClicks,

    /// <summary>
    /// A random point on the largest segment of the largest connected part of each instance: SegGroup's
    /// mechanical stand-in for "the most representative segment" (SegGroup §1, footnote 1; REFERENCE §4).
    /// </summary>
    MaxSegment,

    /// <summary>A random point on one of the instance's largest segments, chosen with probability ∝ size (top-N).</summary>
    RandomSegment,
}

/// <summary>The command-line and JSON names of <see cref="ClickPolicy"/>.</summary>
public static class ClickPolicyNames
{
    private static readonly (ClickPolicy Policy, string Name)[] Names =
    [
        (ClickPolicy.OneThingOneClick, "1t1c"),
        (ClickPolicy.OneThingTwoClicks, "1t2c"),
        (ClickPolicy.OneThingThreeClicks, "1t3c"),
        (ClickPolicy.MaxSegment, "maxseg"),
        (ClickPolicy.RandomSegment, "random-seg"),
    ];

    /// <summary>The name of a policy, e.g. <c>1t1c</c>.</summary>
    public static string Name(this ClickPolicy policy) => Names.First(n => n.Policy == policy).Name;

    /// <summary>Parses a policy name; throws with the list of valid names.</summary>
    public static ClickPolicy Parse(string name)
    {
        foreach (var (policy, n) in Names)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return policy;
        }
        throw new ArgumentException($"unknown click policy '{name}': expected one of {string.Join(", ", Names.Select(n => n.Name))}");
    }

    /// <summary>How many clicks per instance a random-point policy places.</summary>
    public static int ClicksPerInstance(this ClickPolicy policy) => policy switch
    {
        ClickPolicy.OneThingTwoClicks => 2,
        ClickPolicy.OneThingThreeClicks => 3,
        _ => 1,
    };
}
