namespace Clickscape.Data.Formats.Ply;

/// <summary>The body encoding named on a PLY header's <c>format</c> line.</summary>
public enum PlyFormat
{
    /// <summary><c>format ascii 1.0</c>: whitespace-separated numbers.</summary>
    Ascii,

    /// <summary><c>format binary_little_endian 1.0</c> (ScanNet, Open3D, most tools).</summary>
    BinaryLittleEndian,

    /// <summary><c>format binary_big_endian 1.0</c>.</summary>
    BinaryBigEndian,
}
