using Clickscape.Tensors.Nn;

namespace Clickscape.Tensors.Tests.Nn;

public sealed class ModuleEvalScopeTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EvalScope_EvaluatesTheModuleAndItsChildren_ThenPutsThePreviousModeBack(bool trainingBefore)
    {
        var child = new BatchNorm1d(4);
        var model = new Sequential(new Linear(4, 4, new Random(1)), child);
        model.Train(trainingBefore);
        using (model.EvalScope())
        {
            Assert.False(model.Training);
            Assert.False(child.Training);
        }
        Assert.Equal(trainingBefore, model.Training);
        Assert.Equal(trainingBefore, child.Training);
    }
}
