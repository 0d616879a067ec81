using System.Globalization;

namespace Clickscape.Training.Randomness;

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 2021): a 256-bit
/// state, period 2²⁵⁶ − 1, seeded through SplitMix64 as the authors recommend. Unlike <see cref="System.Random"/>
/// its whole state is four integers that a checkpoint can store (<see cref="State"/>) and restore, so a resumed run
/// draws exactly the numbers an uninterrupted one would.
/// </summary>
/// <remarks>
/// <see cref="ForStream"/> makes generators counter-based in use: the stream for (seed, a, b) — e.g. (seed, epoch,
/// sample) — is a pure function of its key, so the augmentation of a sample does not depend on which thread prepared
/// it or on how many samples came before.
/// </remarks>
public sealed class Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    /// <summary>Seeds the four state words from <paramref name="seed"/> with SplitMix64.</summary>
    public Xoshiro256(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private Xoshiro256(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        if ((s0 | s1 | s2 | s3) == 0) throw new ArgumentException("xoshiro256**: the all-zero state is not a valid state");
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>The generator of stream (<paramref name="seed"/>, <paramref name="a"/>, <paramref name="b"/>): independent
    /// keys give statistically independent streams (the key is hashed through SplitMix64 before seeding).</summary>
    public static Xoshiro256 ForStream(ulong seed, ulong a, ulong b = 0)
    {
        ulong x = seed;
        ulong h = SplitMix64(ref x);
        x = h ^ (a * 0x9E3779B97F4A7C15UL);
        h = SplitMix64(ref x);
        x = h ^ (b * 0xC2B2AE3D27D4EB4FUL);
        return new Xoshiro256(SplitMix64(ref x));
    }

    /// <summary>The whole state as text ("s0:s1:s2:s3" in hex, then ":n" with the bits of a pending Box–Muller
    /// value), for a checkpoint's metadata.</summary>
    public string State
    {
        get
        {
            var words = string.Create(CultureInfo.InvariantCulture, $"{_s0:x16}:{_s1:x16}:{_s2:x16}:{_s3:x16}");
            return _spareNormal is double spare
                ? words + string.Create(CultureInfo.InvariantCulture, $":{BitConverter.DoubleToInt64Bits(spare):x16}")
                : words;
        }
    }

    /// <summary>Restores a generator from <see cref="State"/>.</summary>
    public static Xoshiro256 FromState(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var parts = state.Split(':');
        var words = new ulong[5];
        if (parts.Length is not (4 or 5) || parts.Where((p, i) => !ulong.TryParse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out words[i])).Any())
            throw new FormatException($"xoshiro256** state '{state}': expected four (or five) hexadecimal words separated by ':'");
        var g = new Xoshiro256(words[0], words[1], words[2], words[3]);
        if (parts.Length == 5) g._spareNormal = BitConverter.Int64BitsToDouble((long)words[4]);
        return g;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public float Uniform(float low, float high) => (float)(low + (high - low) * NextDouble());

    /// <summary>Uniform integer in [0, n) (Lemire's multiply-shift with rejection, unbiased).</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ulong bound = (ulong)n;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 m = (UInt128)r * bound;
            if ((ulong)m >= threshold) return (int)(m >> 64);
        }
    }

    /// <summary>True with probability ½.</summary>
    public bool NextBool() => (NextUInt64() >> 63) != 0;

    /// <summary>Standard normal sample (Box–Muller, polar-free form; the second value of each pair is kept).</summary>
    public double NextNormal()
    {
        if (_spareNormal is double spare)
        {
            _spareNormal = null;
            return spare;
        }
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fisher–Yates shuffle of <paramref name="items"/> in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A seed for a <see cref="System.Random"/> that only initializes weights once (never resumed).</summary>
    public int NextSeed() => (int)(NextUInt64() >> 33);

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
