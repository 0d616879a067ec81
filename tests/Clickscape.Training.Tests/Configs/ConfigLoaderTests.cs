using System.Text.Json.Nodes;
using Clickscape.Training.Configs;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Configs;

public sealed class ConfigLoaderTests : TempFolder
{
    private string File(string name, string json)
    {
        var path = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Bases_MergeObjectsKeyByKey_AndReplaceArrays()
    {
        File("base/a.json", """{ "_base_": "cpu", "data": { "voxel_size": 0.08 }, "model": { "widths": [4, 8, 12] } }""");
        var path = File("b.json", """{ "_base_": "base/a.json", "data": { "batch_size": 3 }, "model": { "widths": [6] } }""");
        var config = TrainConfig.FromJson(ConfigLoader.LoadFile(path));
        Assert.Equal(0.08f, config.Data.VoxelSize);          // from a.json
        Assert.Equal(3, config.Data.BatchSize);              // from b.json
        Assert.Equal(60000, config.Data.CropPoints);         // from the cpu preset
        Assert.Equal([6], config.Model!["widths"]!.AsArray().Select(n => (int)n!));
        Assert.Equal("PG-v1m1", (string?)config.Model["type"]); // from default, through cpu
        Assert.Null(config.Json[ConfigLoader.BaseKey]);
    }

    [Fact]
    public void Presets_AreEmbeddedAndResolveToPointGroupSettings()
    {
        Assert.Contains("cpu", ConfigLoader.Presets);
        Assert.Contains("paper", ConfigLoader.Presets);
        var paper = TrainConfig.FromJson(ConfigLoader.LoadPreset("paper"));
        Assert.Equal(0.02f, paper.Data.VoxelSize);
        Assert.Equal([16, 32, 48, 64, 80, 96, 112], paper.Model!["widths"]!.AsArray().Select(n => (int)n!));
        var cpu = TrainConfig.FromJson(ConfigLoader.LoadPreset("cpu"));
        Assert.Equal(0.05f, cpu.Data.VoxelSize);
        Assert.Equal(2, cpu.Hooks.Count);
    }

    [Fact]
    public void BaseCycle_IsAnErrorShowingTheChain()
    {
        File("x.json", """{ "_base_": "y.json" }""");
        var y = File("y.json", """{ "_base_": "x.json" }""");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(y));
        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingBaseFile_AndUnknownPreset_AreErrors()
    {
        var a = File("a.json", """{ "_base_": "nothere.json" }""");
        Assert.Contains("nothere.json", Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(a)).Message, StringComparison.Ordinal);
        var b = File("b.json", """{ "_base_": "gpu-cluster" }""");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(b));
        Assert.Contains("gpu-cluster", e.Message, StringComparison.Ordinal);
        Assert.Contains("cpu", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypoInAKey_IsAnErrorNamingTheSection()
    {
        var json = ConfigLoader.Merge(ConfigLoader.LoadPreset("cpu"), JsonNode.Parse("""{ "data": { "voxel_sise": 0.1 } }""")!.AsObject());
        var e = Assert.Throws<ConfigException>(() => TrainConfig.FromJson(json));
        Assert.Contains("voxel_sise", e.Message, StringComparison.Ordinal);
        Assert.Contains("'data'", e.Message, StringComparison.Ordinal);
        var unknownSection = ConfigLoader.Merge(ConfigLoader.LoadPreset("cpu"), JsonNode.Parse("""{ "trian": {} }""")!.AsObject());
        Assert.Contains("'trian'", Assert.Throws<ConfigException>(() => TrainConfig.FromJson(unknownSection)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutOfRangeValue_IsAnError()
    {
        var config = TrainConfig.FromJson(ConfigLoader.LoadPreset("cpu"));
        Assert.Contains("batch_size", Assert.Throws<ConfigException>(() => config.With("data.batch_size", 0)).Message, StringComparison.Ordinal);
        Assert.Contains("voxel_size", Assert.Throws<ConfigException>(() => config.With("data.voxel_size", -1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_UnknownType_ListsTheRegisteredNames()
    {
        var registries = ComponentRegistries.CreateDefault();
        var e = Assert.Throws<ConfigException>(() => registries.Models.Create(JsonNode.Parse("""{ "type": "PG-v9" }"""), new ModelContext(6, 20, 1)));
        Assert.Contains("'PG-v9'", e.Message, StringComparison.Ordinal);
        Assert.Contains("PG-v1m1", e.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ConfigException>(() => registries.Optimizers.Create(JsonNode.Parse("""{ "lr": 1 }"""), null!));
        Assert.Contains("\"type\"", missing.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => registries.Losses.Register("PGLoss-v1m1", (_, _) => new object()));
    }

    [Fact]
    public void ParameterGroups_PutBiasesAndNormsWithoutDecay()
    {
        using var model = (Clickscape.Tensors.Nn.Module)ComponentRegistries.CreateDefault().Models.Create(
            JsonNode.Parse("""{ "type": "PG-v1m1", "widths": [4, 8], "blocks": 1, "embedding": 4 }"""), new ModelContext(6, 20, 1));
        var groups = ComponentRegistries.ParameterGroups(model, noDecayOnNormAndBias: true);
        Assert.Equal(2, groups.Count);
        Assert.Equal(0f, groups[1].WeightDecay);
        var names = new Dictionary<Clickscape.Tensors.Tensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, p) in model.NamedParameters()) names[p] = name;
        Assert.All(groups[1].Parameters, p => Assert.True(names[p].EndsWith(".bias", StringComparison.Ordinal) || names[p].EndsWith(".weight", StringComparison.Ordinal) && p.Rank == 1));
        Assert.Contains(groups[1].Parameters, p => names[p] == "sem.bias");
        Assert.Contains(groups[0].Parameters, p => names[p] == "sem.weight");
        Assert.Equal(model.Parameters().Count, groups.Sum(g => g.Parameters.Count));
    }
}
