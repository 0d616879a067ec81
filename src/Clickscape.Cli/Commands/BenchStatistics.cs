using System.Globalization;

namespace Clickscape.Cli.Commands;

/// <summary>What every <c>clickscape bench</c> command reports its timings with: the median of the timed runs and the process's peak memory.</summary>
internal static class BenchStatistics
{
    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count); NaN when there are none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        if (n == 0) return double.NaN;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /// <summary>The process's peak resident memory (VmHWM) in MiB, NaN where /proc is missing.</summary>
    public static double PeakRssMiB() => StatusMiB("VmHWM:");

    /// <summary>A memory field of <c>/proc/self/status</c> (e.g. <c>VmRSS:</c>, <c>VmHWM:</c>) in MiB, NaN where it cannot be read.</summary>
    public static double StatusMiB(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
                var parts = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return double.Parse(parts[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return double.NaN;
    }
}
