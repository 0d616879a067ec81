using Clickscape.Data.Datasets;
using Clickscape.Data.IO;
using Clickscape.Data.Synthetic.Images;

namespace Clickscape.Data.Tests.Datasets;

public sealed class ImageDatasetTests
{
    [Fact]
    public void GeneratedDataset_OpensWithDisjointTrainAndValSplitsCoveringEveryImage()
    {
        var dir = Directory.CreateTempSubdirectory("imageds");
        try
        {
            ImageDatasetWriter.Write(dir.FullName, 11, seed: 4, width: 48, height: 40);
            var d = ImageDataset.Open(dir.FullName);
            var train = d.Split("train");
            var val = d.Split("val");
            Assert.Equal(8, train.Count);
            Assert.Equal(3, val.Count);
            Assert.Empty(train.Select(i => i.Id).Intersect(val.Select(i => i.Id)));
            Assert.Equal(d.Split(ImageDataset.AllSplit).Select(i => i.Id).Order(), train.Concat(val).Select(i => i.Id).Order());
            var rgb = d.LoadRgb(val[0]);
            Assert.Equal((48, 40, 3), (rgb.Width, rgb.Height, rgb.Channels));
            Assert.NotEmpty(d.Annotations(val[0]));
            Assert.False(d.HasSplit("test"));
            var e = Assert.Throws<DataFormatException>(() => d.Split("test"));
            Assert.Contains("splits/test.txt", e.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void SplitNamingAnUnknownImageIsAnErrorWithTheLine()
    {
        var dir = Directory.CreateTempSubdirectory("imageds");
        try
        {
            ImageDatasetWriter.Write(dir.FullName, 3, seed: 1, width: 32, height: 32);
            File.WriteAllText(Path.Combine(dir.FullName, "splits", "val.txt"), "images/000000.png\nimages/nope.png\n");
            var e = Assert.Throws<DataFormatException>(() => ImageDataset.Open(dir.FullName).Split("val"));
            Assert.Contains("line 2", e.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void FolderWithoutAnnotationsIsAnError()
    {
        var dir = Directory.CreateTempSubdirectory("imageds");
        try
        {
            Assert.Throws<DataFormatException>(() => ImageDataset.Open(dir.FullName));
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
