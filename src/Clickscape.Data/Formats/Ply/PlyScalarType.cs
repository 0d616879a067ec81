namespace Clickscape.Data.Formats.Ply;

/// <summary>The eight scalar types of the PLY format, with both spellings of their names.</summary>
public enum PlyScalarType
{
    /// <summary><c>char</c> / <c>int8</c>.</summary>
    Int8,

    /// <summary><c>uchar</c> / <c>uint8</c>.</summary>
    UInt8,

    /// <summary><c>short</c> / <c>int16</c>.</summary>
    Int16,

    /// <summary><c>ushort</c> / <c>uint16</c>.</summary>
    UInt16,

    /// <summary><c>int</c> / <c>int32</c>.</summary>
    Int32,

    /// <summary><c>uint</c> / <c>uint32</c>.</summary>
    UInt32,

    /// <summary><c>float</c> / <c>float32</c>.</summary>
    Float32,

    /// <summary><c>double</c> / <c>float64</c>.</summary>
    Float64,
}

/// <summary>Names and sizes of <see cref="PlyScalarType"/>.</summary>
public static class PlyScalarTypes
{
    /// <summary>Size of one value in a binary body, in bytes.</summary>
    public static int Size(this PlyScalarType type) => type switch
    {
        PlyScalarType.Int8 or PlyScalarType.UInt8 => 1,
        PlyScalarType.Int16 or PlyScalarType.UInt16 => 2,
        PlyScalarType.Int32 or PlyScalarType.UInt32 or PlyScalarType.Float32 => 4,
        PlyScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a PLY scalar type"),
    };

    /// <summary>Whether the type is an integer type (valid as a list count).</summary>
    public static bool IsInteger(this PlyScalarType type) => type is not (PlyScalarType.Float32 or PlyScalarType.Float64);

    /// <summary>The classic header name (<c>uchar</c>, <c>float</c>, …) the writer uses.</summary>
    public static string HeaderName(this PlyScalarType type) => type switch
    {
        PlyScalarType.Int8 => "char",
        PlyScalarType.UInt8 => "uchar",
        PlyScalarType.Int16 => "short",
        PlyScalarType.UInt16 => "ushort",
        PlyScalarType.Int32 => "int",
        PlyScalarType.UInt32 => "uint",
        PlyScalarType.Float32 => "float",
        PlyScalarType.Float64 => "double",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a PLY scalar type"),
    };

    /// <summary>Parses a header type name in either spelling; false when unknown.</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out PlyScalarType type)
    {
        switch (name)
        {
            case "char" or "int8": type = PlyScalarType.Int8; return true;
            case "uchar" or "uint8": type = PlyScalarType.UInt8; return true;
            case "short" or "int16": type = PlyScalarType.Int16; return true;
            case "ushort" or "uint16": type = PlyScalarType.UInt16; return true;
            case "int" or "int32": type = PlyScalarType.Int32; return true;
            case "uint" or "uint32": type = PlyScalarType.UInt32; return true;
            case "float" or "float32": type = PlyScalarType.Float32; return true;
            case "double" or "float64": type = PlyScalarType.Float64; return true;
            default: type = default; return false;
        }
    }
}
