using System.Text.Json.Nodes;
using Clickscape.Models.ClickSeg;
using Clickscape.Models.PointGroup;
using Clickscape.Training.Configs;
using Clickscape.Training.Methods;
using Clickscape.Training.Methods.ClickSeg;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Methods;

/// <summary><c>model.fusion</c>: the part fusion module in the offset branch of <c>full</c> and the click methods (off by default).</summary>
public sealed class FullFusionOptionTests
{
    [Fact]
    public void ModelFusion_TurnsOnTheFusionLayer_ForFullAndClickSeg()
    {
        var methods = MethodRegistry.CreateDefault();
        var config = TinyDataset.Config();
        using (var plain = (PgUNet)methods.Get("full").CreateModel(config, 1))
            Assert.Null(plain.Fusion);
        var fused = config.With("model.fusion", JsonValue.Create(true));
        using (var model = (PgUNet)methods.Get("full").CreateModel(fused, 1))
            Assert.NotNull(model.Fusion);
        var click = TrainConfig.FromJson(new ClickSegMethod(ClickSegVariant.Click).Configure(fused.Json)).With("method", JsonValue.Create("clickseg"));
        using var net = (ClickSegNet)methods.Get("clickseg").CreateModel(click, 1);
        Assert.NotNull(net.Net.Fusion);
    }
}
