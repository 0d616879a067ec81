using Clickscape.Data.Formats;
using Clickscape.Data.Formats.Npy;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.Formats;

public class ColumnMapTests
{
    /// <summary>n rows of x y z r g b sem ins (sem 1..4, ins 0..3), as viewers and Pointcept exports write them.</summary>
    private static float[] Rows8(int n, int insOffset = 0)
    {
        var rng = new Random(n);
        var v = new float[8 * n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++) v[(8 * i) + c] = (float)rng.NextDouble();
            for (int c = 3; c < 6; c++) v[(8 * i) + c] = rng.Next(256);
            v[(8 * i) + 6] = 1 + (i % 4);
            v[(8 * i) + 7] = (i % 4) + insOffset;
        }
        return v;
    }

    [Fact]
    public void Parse_NamesAndErrors()
    {
        var map = ColumnMap.Parse("x, y, z, red, g, b, sem, ins");
        Assert.Equal("x,y,z,r,g,b,sem,ins", map.ToString());
        Assert.True(map.HasLabels);
        Assert.Equal(8, map.Width);
        Assert.Equal("x,y,z,_,sem", ColumnMap.Parse("x,y,z,intensity,label").ToString());
        Assert.Contains("'foo'", Assert.Throws<ArgumentException>(() => ColumnMap.Parse("x,y,z,foo")).Message, StringComparison.Ordinal);
        Assert.Contains("named 2 times", Assert.Throws<ArgumentException>(() => ColumnMap.Parse("x,y,z,x")).Message, StringComparison.Ordinal);
        Assert.Contains("x, y and z", Assert.Throws<ArgumentException>(() => ColumnMap.Parse("x,y,r,g,b")).Message, StringComparison.Ordinal);
        Assert.Contains("r, g, b", Assert.Throws<ArgumentException>(() => ColumnMap.Parse("x,y,z,r,g")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EightColumnArray_RefusedWithoutNames_LabelsExactWithThem()
    {
        var rows = Rows8(25);
        var array = new NpyArray(rows, [25, 8]);
        var e = Assert.Throws<DataFormatException>(() => NpyScene.ToScene(array, "a", "a.npy"));
        Assert.Contains("--columns x,y,z,r,g,b,sem,ins", e.Message, StringComparison.Ordinal);

        var scene = NpyScene.ToScene(array, "a", "a.npy", ColumnMap.Parse("x,y,z,r,g,b,sem,ins"));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => 1 + (i % 4)), scene.SemanticLabels!);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => i % 4), scene.InstanceIds!);
        Assert.Equal(rows[8 * 3], scene.Positions[3 * 3]);
        Assert.Equal((byte)rows[(8 * 7) + 4], scene.Colors![(3 * 7) + 1]);

        // Names for a different width: refused.
        Assert.Contains("names 6", Assert.Throws<DataFormatException>(() => NpyScene.ToScene(array, "a", "a.npy", ColumnMap.XyzRgb)).Message, StringComparison.Ordinal);
        // A column skipped on purpose is fine; its labels are then not read.
        Assert.Null(NpyScene.ToScene(array, "a", "a.npy", ColumnMap.Parse("x,y,z,r,g,b,_,_")).SemanticLabels);
    }

    [Fact]
    public void InstanceColumnWithMinusOne_IsZeroBased_AndFractionalLabelsAreErrors()
    {
        var rows = Rows8(12, insOffset: -1); // instances -1..2: Pointcept's "none" = -1
        var scene = NpyScene.ToScene(new NpyArray(rows, [12, 8]), "p", "p.npy", ColumnMap.Parse("x,y,z,r,g,b,sem,ins"));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i % 4), scene.InstanceIds!); // -1 → 0 (none), 0 → 1, …

        rows[(8 * 5) + 6] = 2.5f;
        var e = Assert.Throws<DataFormatException>(() => NpyScene.ToScene(new NpyArray(rows, [12, 8]), "p", "p.npy", ColumnMap.Parse("x,y,z,r,g,b,sem,ins")));
        Assert.Contains("row 6, column 7 (semantic): 2.5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NineColumns_InferredAsNormalsOnlyWhenUnitVectors()
    {
        var v = new double[9 * 4];
        for (int i = 0; i < 4; i++)
        {
            v[(9 * i) + 0] = i;
            v[(9 * i) + 3] = 10 * i;
            double a = i * 0.7;
            (v[(9 * i) + 6], v[(9 * i) + 7], v[(9 * i) + 8]) = (Math.Cos(a), Math.Sin(a), 0);
        }
        var scene = NpyScene.ToScene(new NpyArray(v, [4, 9]), "n", "n.npy");
        Assert.Equal((float)Math.Sin(2.1), scene.Normals![(3 * 3) + 1]);
        v[8] = 5; // no longer a unit normal: ambiguous, refused
        Assert.Contains("not unit normals", Assert.Throws<DataFormatException>(() => NpyScene.ToScene(new NpyArray(v, [4, 9]), "n", "n.npy")).Message, StringComparison.Ordinal);
        Assert.Contains("--columns", Assert.Throws<DataFormatException>(() => NpyScene.ToScene(new NpyArray(new float[8], [2, 4]), "f", "f.npy")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnitColours_AreScaled()
    {
        var v = new float[] { 0, 0, 0, 0.5f, 1f, 0f, 1, 1, 1, 0.25f, 0.75f, 1f };
        var scene = NpyScene.ToScene(new NpyArray(v, [2, 6]), "c", "c.npy");
        Assert.Equal(new byte[] { 128, 255, 0, 64, 191, 255 }, scene.Colors);
    }

    [Fact]
    public void SevenColumnText_Semantic3dStyle_RefusedWithoutNames_ColoursRightWithThem()
    {
        var path = Path.Combine(TestScenes.TempDir(), "station.txt");
        File.WriteAllText(path, "1.5 2 3 -1200 10 20 30\n4 5 6.25 -900 40 50 60\n");
        var e = Assert.Throws<DataFormatException>(() => SceneLoader.Load(path));
        Assert.Contains("2×7 point table", e.Message, StringComparison.Ordinal);
        var scene = SceneLoader.Load(path, new SceneReadOptions { Columns = ColumnMap.Parse("x,y,z,intensity,r,g,b") });
        Assert.Equal(new float[] { 1.5f, 2, 3, 4, 5, 6.25f }, scene.Positions);
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 60 }, scene.Colors);
        Assert.Equal(new float[] { 1.5f, 2, 3, 4, 5, 6.25f }, SceneLoader.Load(path, new SceneReadOptions { Columns = ColumnMap.Parse("x,y,z,_,_,_,_") }).Positions);
    }
}
