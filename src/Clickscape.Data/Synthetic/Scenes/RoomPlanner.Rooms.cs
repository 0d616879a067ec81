using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;
using static Clickscape.Data.Synthetic.Scenes.Furniture;

namespace Clickscape.Data.Synthetic.Scenes;

public sealed partial class RoomPlanner
{
    private static float YawOf(Frame f) => MathF.Atan2(f.X.Y, f.X.X);

    private void AddSurface(Frame f, float halfWidth, float halfDepth, float z) => _surfaces.Add((f, halfWidth, halfDepth, z));

    /// <summary>A chair at local (x, y) of <paramref name="f"/>, turned by <paramref name="relativeYaw"/>.</summary>
    private RoomObject ChairAt(Frame f, float x, float y, float relativeYaw, bool office) =>
        Chair(Frame.Yaw(f.Point(x, y, 0), YawOf(f) + relativeYaw), _rng, office);

    /// <summary>A desk whose back is at −Y of <paramref name="f"/> plus a chair pushed (partly) under it.</summary>
    private IEnumerable<RoomObject> DeskWithChair(Frame f, float width, float depth, bool office)
    {
        float height = _rng.Uniform(0.72f, 0.78f);
        yield return Desk(f, width, depth, height, _rng);
        AddSurface(f, width / 2, depth / 2, height);
        if (_rng.Chance(0.85))
        {
            float push = _rng.Uniform(-0.1f, 0.2f);
            float turn = push < 0.05f ? _rng.Uniform(-0.5f, 0.5f) : _rng.Uniform(-0.08f, 0.08f);
            yield return ChairAt(f, _rng.Uniform(-0.15f, 0.15f) * width, depth / 2 + ChairDepth / 2 - push, MathF.PI + turn, office);
        }
    }

    /// <summary>A table centred on <paramref name="f"/> with chairs around it, some pushed under, some pulled out.</summary>
    private IEnumerable<RoomObject> TableWithChairs(Frame f, float width, float depth, float height, bool office, bool ends, bool round)
    {
        yield return Table(f, width, depth, height, _rng, round);
        AddSurface(f, round ? 0.35f * MathF.Min(width, depth) : width / 2, round ? 0.35f * MathF.Min(width, depth) : depth / 2, height);
        int perSide = Math.Max(1, (int)(width / 0.65f));
        for (int side = -1; side <= 1; side += 2)
        {
            for (int i = 0; i < perSide; i++)
            {
                if (!_rng.Chance(0.8)) continue;
                float x = (i + 0.5f) * width / perSide - width / 2;
                float push = _rng.Chance(0.6) ? _rng.Uniform(0.05f, 0.2f) : _rng.Uniform(-0.25f, 0f);
                float turn = push < 0 ? _rng.Uniform(-0.5f, 0.5f) : _rng.Uniform(-0.1f, 0.1f);
                float y = side * (depth / 2 + ChairDepth / 2 - push);
                yield return ChairAt(f, x, y, (side > 0 ? MathF.PI : 0) + turn, office);
            }
        }
        if (ends)
        {
            for (int side = -1; side <= 1; side += 2)
            {
                if (!_rng.Chance(0.6)) continue;
                float push = _rng.Uniform(-0.15f, 0.12f);
                yield return ChairAt(f, side * (width / 2 + ChairDepth / 2 - push), 0, side * MathF.PI / 2 + _rng.Uniform(-0.2f, 0.2f), office);
            }
        }
    }

    private bool PlaceTableGroup(bool office)
    {
        bool round = !office && _rng.Chance(0.25);
        float width = round ? _rng.Uniform(0.8f, 1.1f) : _rng.Uniform(0.9f, office ? 2.4f : 1.6f);
        float depth = round ? width : _rng.Uniform(0.7f, 1.0f);
        bool ends = !round && _rng.Chance(0.5);
        float height = _rng.Uniform(0.72f, 0.78f);
        return PlaceFree(width / 2 + (ends ? 0.45f : 0.05f), depth / 2 + 0.45f, f => TableWithChairs(f, width, depth, height, office, ends, round).ToList());
    }

    /// <summary>Against a wall, an object whose builder needs the same sizes the placement used.</summary>
    private bool PlaceSized(float width, float depth, float height, Func<Frame, float, float, float, IEnumerable<RoomObject>> build, float frontClearance = 0.3f, float gap = 0.01f)
    {
        return PlaceAgainstSomeWall(width, depth, height, f => build(f, width, depth, height).ToList(), frontClearance, 40, gap);
    }

    private void PlaceCabinetRow(float height, int count, bool surface)
    {
        var widths = Enumerable.Range(0, count).Select(_ => _rng.Uniform(0.4f, 0.9f)).ToArray();
        float total = widths.Sum(), depth = _rng.Uniform(0.4f, 0.6f);
        var body = _rng.Chance(0.7) ? Palette.Laminate(_rng) : Palette.Wood(_rng);
        PlaceSized(total, depth, height, (f, w, d, h) =>
        {
            var list = new List<RoomObject>();
            float x = -w / 2;
            foreach (float cw in widths)
            {
                var cf = f.Offset(x + cw / 2, 0, 0);
                list.Add(Cabinet(cf, cw, d, h, 0, _rng, body));
                if (surface) AddSurface(cf, cw / 2, d / 2, h);
                x += cw;
            }
            return list;
        }, 0.4f);
    }

    // ---- room kinds ---------------------------------------------------------------------------------------------

    private void FurnishBedroom()
    {
        float bw = _rng.Chance(0.55) ? _rng.Uniform(1.35f, 1.8f) : _rng.Uniform(0.9f, 1.2f), bl = _rng.Uniform(1.95f, 2.15f);
        float left = _rng.Chance(0.7) ? _rng.Uniform(0.4f, 0.55f) : 0, right = _rng.Chance(0.6) ? _rng.Uniform(0.4f, 0.55f) : 0;
        float nsD = 0.4f;
        for (int tries = 0; tries < 3; tries++)
        {
            float total = bw + left + right;
            bool placed = PlaceSized(total, bl, 1.3f, (f, w, d, h) =>
            {
                var list = new List<RoomObject>();
                var bedFrame = f.Offset(-w / 2 + left + bw / 2, 0, 0);
                var bed = Bed(bedFrame, bw, bl, _rng);
                list.Add(bed);
                float top = bed.Parts.First(p => p.Name == "mattress").Shape.Top;
                int pillows = bw > 1.3f ? 2 : 1;
                for (int i = 0; i < pillows; i++)
                    list.Add(Pillow(bedFrame, pillows == 1 ? 0 : (i - 0.5f) * bw * 0.5f, -bl / 2 + 0.3f, top, _rng));
                float nsH = _rng.Uniform(0.45f, 0.65f);
                if (left > 0)
                {
                    var nf = f.Offset(-w / 2 + left / 2, -bl / 2 + nsD / 2, 0);
                    list.Add(Cabinet(nf, left - 0.02f, nsD, nsH, 0, _rng, null, Nyu40.NightStand));
                    AddSurface(nf, left / 2, nsD / 2, nsH);
                }
                if (right > 0)
                {
                    var nf = f.Offset(w / 2 - right / 2, -bl / 2 + nsD / 2, 0);
                    list.Add(Cabinet(nf, right - 0.02f, nsD, nsH, 0, _rng, null, Nyu40.NightStand));
                    AddSurface(nf, right / 2, nsD / 2, nsH);
                }
                return list;
            }, 0.5f);
            if (placed) break;
            (left, right, bw) = (0, 0, MathF.Min(bw, 1.2f));
        }
        int wardrobes = _rng.Int(1, 3);
        for (int i = 0; i < wardrobes; i++)
        {
            bool tall = _rng.Chance(0.5);
            float w = _rng.Uniform(0.7f, tall ? 1.6f : 1.3f), d = tall ? _rng.Uniform(0.5f, 0.62f) : _rng.Uniform(0.4f, 0.5f), h = tall ? _rng.Uniform(1.7f, 2.1f) : _rng.Uniform(0.75f, 1.0f);
            PlaceSized(w, d, h, (f, w2, d2, h2) =>
            {
                if (!tall) AddSurface(f, w2 / 2, d2 / 2, h2);
                return [Cabinet(f, w2, d2, h2, 0, _rng)];
            }, 0.5f);
        }
        if (_rng.Chance(0.6)) PlaceSized(_rng.Uniform(1.0f, 1.4f), _rng.Uniform(0.55f, 0.7f), 0.8f, (f, w, d, h) => DeskWithChair(f, w, d, false), 0.6f);
        if (_rng.Chance(0.35)) PlaceSized(_rng.Uniform(0.6f, 1.0f), _rng.Uniform(0.28f, 0.36f), _rng.Uniform(0.9f, 2.0f), (f, w, d, h) => [Bookshelf(f, w, d, h, _rng)]);
    }

    private void FurnishLivingRoom()
    {
        float sw = _rng.Uniform(1.6f, 2.4f), sd = _rng.Uniform(0.85f, 1.0f), gap = _rng.Uniform(0.35f, 0.5f);
        float tw = _rng.Uniform(0.8f, 1.3f), td = _rng.Uniform(0.45f, 0.7f), th = _rng.Uniform(0.38f, 0.48f);
        bool placed = PlaceSized(sw, sd + gap + td, 1.0f, (f, w, d, h) =>
        {
            var tableFrame = f.Offset(_rng.Uniform(-0.1f, 0.1f), -d / 2 + sd + gap + td / 2, 0);
            AddSurface(tableFrame, tw / 2, td / 2, th);
            return [Sofa(f.Offset(0, -d / 2 + sd / 2, 0), sw, sd, _rng), Table(tableFrame, tw, td, th, _rng)];
        }, 0.3f);
        if (!placed)
        {
            PlaceSized(_rng.Uniform(1.4f, 1.8f), sd, 1.0f, (f, w, d, h) => [Sofa(f, w, d, _rng)]);
            PlaceFree(tw / 2, td / 2, f =>
            {
                AddSurface(f, tw / 2, td / 2, th);
                return [Table(f, tw, td, th, _rng)];
            });
        }
        int armchairs = _rng.Int(0, 3);
        for (int i = 0; i < armchairs; i++) PlaceFree(0.32f, 0.32f, f => [Chair(f, _rng, false)], yawSpread: 3.14f);
        if (_rng.Chance(0.35)) PlaceSized(_rng.Uniform(1.4f, 2.0f), _rng.Uniform(0.8f, 0.95f), 1.0f, (f, w, d, h) => [Sofa(f, w, d, _rng)]);
        if (_rng.Chance(0.75))
        {
            PlaceSized(_rng.Uniform(1.2f, 1.8f), _rng.Uniform(0.4f, 0.5f), _rng.Uniform(0.45f, 0.6f), (f, w, d, h) =>
            {
                var list = new List<RoomObject> { Cabinet(f, w, d, h, 0, _rng) };
                if (_rng.Chance(0.8)) list.Add(Television(f, _rng.Uniform(0.8f, MathF.Min(1.4f, w)), h, _rng));
                else AddSurface(f, w / 2, d / 2, h);
                return list;
            }, 0.5f);
        }
        int shelves = _rng.Chance(0.6) ? _rng.Int(1, 3) : 0;
        for (int i = 0; i < shelves; i++) PlaceSized(_rng.Uniform(0.6f, 1.1f), _rng.Uniform(0.28f, 0.38f), _rng.Uniform(0.9f, 2.0f), (f, w, d, h) => [Bookshelf(f, w, d, h, _rng)]);
    }

    private void FurnishOffice()
    {
        int desks = _rng.Int(2, 6);
        for (int i = 0; i < desks; i++)
        {
            float w = _rng.Uniform(1.1f, 1.6f), d = _rng.Uniform(0.6f, 0.8f);
            if (_rng.Chance(0.3) && i + 1 < desks)
            {
                // Two desks back to back in the middle of the room, each with its chair.
                bool ok = PlaceFree(w / 2, d + 0.55f, f =>
                {
                    var a = f.Offset(0, -d / 2, 0);
                    var b = Frame.Yaw(f.Point(0, d / 2, 0), YawOf(f) + MathF.PI);
                    return DeskWithChair(b, w, d, true).Concat(DeskWithChair(a, w, d, true)).ToList();
                }, yawSpread: 0.05f);
                if (ok)
                {
                    i++;
                    continue;
                }
            }
            PlaceSized(w, d, 0.8f, (f, w2, d2, h) => DeskWithChair(f, w2, d2, true), 0.6f);
        }
        if (_rng.Chance(0.6)) PlaceCabinetRow(_rng.Chance(0.5) ? _rng.Uniform(0.7f, 1.1f) : _rng.Uniform(1.7f, 2.0f), _rng.Int(2, 5), true);
        if (_rng.Chance(0.7))
        {
            int n = _rng.Int(1, 3);
            for (int i = 0; i < n; i++) PlaceSized(_rng.Uniform(0.7f, 1.1f), _rng.Uniform(0.28f, 0.4f), _rng.Uniform(1.0f, 2.1f), (f, w, d, h) => [Bookshelf(f, w, d, h, _rng)]);
        }
        if (_rng.Chance(0.4)) PlaceTableGroup(true);
        if (_rng.Chance(0.3))
        {
            bool mini = _rng.Chance(0.5);
            PlaceSized(mini ? 0.5f : _rng.Uniform(0.6f, 0.8f), mini ? 0.55f : 0.7f, mini ? 0.85f : _rng.Uniform(1.6f, 1.9f), (f, w, d, h) => [Refrigerator(f, w, d, h, _rng)], 0.5f);
        }
        if (_rng.Chance(0.2)) PlaceSized(_rng.Uniform(1.4f, 2.0f), _rng.Uniform(0.8f, 0.95f), 1.0f, (f, w, d, h) => [Sofa(f, w, d, _rng)]);
        if (_rng.Chance(0.6)) PlaceOtherFurniture();
    }

    private void FurnishKitchen()
    {
        float z = _rng.Uniform(0.86f, 0.92f), depth = 0.62f;
        int runWall = -1;
        float runS = 0, runLength = 0;
        for (int attempt = 0; attempt < 30 && runWall < 0; attempt++)
        {
            int k = _rng.Int(0, 4);
            float length = MathF.Min(_length[k] - 0.1f, _rng.Uniform(1.6f, 3.4f));
            if (length < 1.2f) continue;
            float s = _rng.Chance(0.5) ? length / 2 + 0.01f : _length[k] - length / 2 - 0.01f;
            var widths = new List<float>();
            float rest = length;
            while (rest > 0.01f)
            {
                float cw = rest < 1.0f ? rest : _rng.Uniform(0.45f, 0.8f);
                widths.Add(cw);
                rest -= cw;
            }
            var body = Palette.Laminate(_rng);
            bool ok = TryAgainstWall(k, s, length, depth, z + 0.15f, 0.01f, f =>
            {
                var list = new List<RoomObject> { Counter(f, length, depth, z, _rng, withBase: false) };
                float x = -length / 2;
                foreach (float cw in widths)
                {
                    list.Add(Cabinet(f.Offset(x + cw / 2, -0.02f, 0), cw, depth - 0.04f, z - 0.002f, 0, _rng, body));
                    x += cw;
                }
                float sinkX = _rng.Uniform(-length / 2 + 0.4f, length / 2 - 0.4f);
                list.Add(Sink(f.Offset(sinkX, 0.02f, 0), z + 0.04f, _rng));
                float clutterX = sinkX > 0 ? _rng.Uniform(-length / 2 + 0.15f, sinkX - 0.45f) : _rng.Uniform(sinkX + 0.45f, length / 2 - 0.15f);
                if (MathF.Abs(clutterX - sinkX) > 0.4f) list.Add(Clutter(f, clutterX, _rng.Uniform(-0.1f, 0.1f), z + 0.04f, _rng));
                return list;
            }, 0.5f);
            if (ok)
            {
                runWall = k;
                runS = s;
                runLength = length;
            }
        }
        if (runWall >= 0 && _rng.Chance(0.7))
        {
            // Wall cabinets in a row above the counter, skipping where a window is.
            float z0 = _rng.Uniform(1.4f, 1.55f), h = MathF.Min(_rng.Uniform(0.6f, 0.75f), _h - z0 - 0.05f), d = _rng.Uniform(0.3f, 0.36f);
            var body = Palette.Laminate(_rng);
            float s = runS - runLength / 2;
            while (s < runS + runLength / 2 - 0.3f)
            {
                float cw = MathF.Min(_rng.Uniform(0.4f, 0.8f), runS + runLength / 2 - s);
                if (WallFree(runWall, s + 0.001f, s + cw - 0.001f, z0, z0 + h))
                {
                    _wallTaken[runWall].Add((s, s + cw, z0, z0 + h));
                    _furniture.Add(Cabinet(WallFrame(runWall, s + cw / 2, d / 2 + 0.005f), cw, d, h, z0, _rng, body));
                }
                s += cw;
            }
        }
        float fw = _rng.Uniform(0.6f, 0.9f), fd = _rng.Uniform(0.65f, 0.75f), fh = _rng.Uniform(1.6f, 1.95f);
        bool fridge = false;
        if (runWall >= 0)
        {
            foreach (int side in new[] { 1, -1 })
            {
                float s = runS + side * (runLength / 2 + fw / 2 + 0.02f);
                if (!fridge && TryAgainstWall(runWall, s, fw, fd, fh, 0.01f, f => [Refrigerator(f, fw, fd, fh, _rng)], 0.5f)) fridge = true;
            }
        }
        if (!fridge) PlaceSized(fw, fd, fh, (f, w, d, h) => [Refrigerator(f, w, d, h, _rng)], 0.5f);
        if (_rng.Chance(0.75)) PlaceTableGroup(false);
        if (_rng.Chance(0.3)) PlaceCabinetRow(_rng.Uniform(0.8f, 1.0f), _rng.Int(1, 3), true);
    }

    private void FurnishBathroom()
    {
        bool tub = _rng.Chance(0.9);
        if (tub)
        {
            float length = _rng.Uniform(1.5f, 1.75f), width = _rng.Uniform(0.7f, 0.8f);
            bool curtain = _rng.Chance(0.9);
            for (int attempt = 0; attempt < 20; attempt++)
            {
                int k = _rng.Int(0, 4);
                if (length + 0.02f > _length[k]) continue;
                float s = _rng.Chance(0.5) ? length / 2 + 0.005f : _length[k] - length / 2 - 0.005f;
                float top = _rng.Uniform(1.85f, 2.05f);
                if (TryAgainstWall(k, s, length, width, curtain ? top + 0.05f : 0.7f, 0.005f, f =>
                {
                    var bathtub = Bathtub(f, length, width, _rng);
                    if (!curtain) return [bathtub];
                    float y = width / 2 - 0.05f;
                    return [bathtub, ShowerCurtain(f, -length / 2 + 0.02f, length / 2 - 0.02f, y, _rng.Uniform(0.15f, 0.35f), top, _rng)];
                }, 0.3f)) break;
            }
        }
        else
        {
            // A shower corner closed by a curtain.
            PlaceSized(0.9f, 0.9f, 2.05f, (f, w, d, h) => [ShowerCurtain(f, -w / 2, w / 2, d / 2, 0.05f, 1.95f, _rng)], 0.3f);
        }
        PlaceSized(0.45f, 0.7f, 0.85f, (f, w, d, h) => [Toilet(f, _rng)], 0.3f);
        if (_rng.Chance(0.65))
        {
            float z = _rng.Uniform(0.8f, 0.86f);
            PlaceSized(_rng.Uniform(0.6f, 1.2f), _rng.Uniform(0.48f, 0.55f), z + 0.3f, (f, w, d, h) =>
            [
                Counter(f, w, d, z, _rng, withBase: false),
                Cabinet(f.Offset(0, -0.02f, 0), w - 0.02f, d - 0.04f, z - 0.002f, 0, _rng),
                Sink(f.Offset(0, 0.03f, 0), z + 0.04f, _rng),
            ], 0.4f);
        }
        else
        {
            PlaceSized(0.55f, 0.45f, 1.0f, (f, w, d, h) => [Sink(f, 0, _rng)], 0.4f);
        }
        if (_rng.Chance(0.45))
        {
            for (int attempt = 0; attempt < 20; attempt++)
            {
                int k = _rng.Int(0, 4);
                float w = _rng.Uniform(0.4f, 0.7f), h = _rng.Uniform(0.5f, 0.7f), z0 = _rng.Uniform(1.3f, 1.5f), d = _rng.Uniform(0.14f, 0.2f);
                if (w + 0.1f > _length[k] || z0 + h > _h - 0.05f) continue;
                float s = _rng.Uniform(w / 2 + 0.05f, _length[k] - w / 2 - 0.05f);
                if (!WallFree(k, s - w / 2, s + w / 2, z0, z0 + h)) continue;
                _wallTaken[k].Add((s - w / 2, s + w / 2, z0, z0 + h));
                _furniture.Add(Cabinet(WallFrame(k, s, d / 2 + 0.005f), w, d, h, z0, _rng));
                break;
            }
        }
    }
}
