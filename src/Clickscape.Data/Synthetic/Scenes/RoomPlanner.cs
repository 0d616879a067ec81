using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;
using static Clickscape.Data.Synthetic.Scenes.Furniture;

namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>
/// Lays out a room: walls with doors and windows, then furniture of the room's kind against the walls and in the
/// middle, touching where real rooms touch (chairs pushed under tables and desks, cabinets in rows under a counter,
/// a sink on the counter, pictures and curtains on the walls, pillows on the bed, things on tables), then picks the
/// scanner positions. Decides everything; tessellates nothing, so it is cheap enough to plan many rooms in a test.
/// </summary>
/// <remarks>
/// Walls run counter-clockwise around the floor [0, W] × [0, D]: wall k goes from corner k to corner k + 1 and the
/// room is on its left. Along a wall, positions are s ∈ [0, length] from its start. Each wall keeps the rectangles
/// (s-range × z-range) already taken on it, and the floor keeps the footprints already taken, so objects never
/// intersect (touching is allowed and intended).
/// </remarks>
public sealed partial class RoomPlanner
{
    private readonly SynthRandom _rng;
    private readonly RoomKind _kind;
    private readonly float _w, _d, _h;
    private readonly Vector2[] _start = new Vector2[4], _dir = new Vector2[4];
    private readonly float[] _length = new float[4];
    private readonly List<(float S0, float S1, float Z0, float Z1)>[] _wallTaken = [[], [], [], []];
    private readonly List<(float S0, float S1, float Z0, float Z1)>[] _holes = [[], [], [], []];
    private readonly List<Footprint> _floorTaken = [];
    private readonly List<RoomObject> _furniture = [];
    private readonly List<(Frame Frame, float HalfWidth, float HalfDepth, float Z)> _surfaces = [];
    private readonly List<Vector2> _doorways = [];

    private RoomPlanner(SynthRandom rng, RoomKind kind)
    {
        _rng = rng;
        _kind = kind;
        (float wMin, float wMax, float dMin, float dMax) = kind switch
        {
            RoomKind.Bathroom => (1.9f, 3.2f, 2.3f, 3.6f),
            RoomKind.Kitchen => (3.0f, 5.0f, 3.0f, 5.0f),
            RoomKind.Bedroom => (3.2f, 5.0f, 3.2f, 5.5f),
            RoomKind.LivingRoom => (4.0f, 7.0f, 3.6f, 6.0f),
            _ => (4.0f, 7.5f, 3.8f, 6.5f),
        };
        _w = rng.Uniform(wMin, wMax);
        _d = rng.Uniform(dMin, dMax);
        _h = kind == RoomKind.Bathroom ? rng.Uniform(2.3f, 2.7f) : rng.Uniform(2.4f, 3.0f);
        Vector2[] corners = [new(0, 0), new(_w, 0), new(_w, _d), new(0, _d)];
        for (int k = 0; k < 4; k++)
        {
            var e = corners[(k + 1) % 4] - corners[k];
            _start[k] = corners[k];
            _length[k] = e.Length();
            _dir[k] = e / _length[k];
        }
    }

    /// <summary>Plans a room of <paramref name="kind"/> from <paramref name="rng"/>.</summary>
    public static RoomLayout Plan(SynthRandom rng, RoomKind kind) => new RoomPlanner(rng, kind).Plan(null);

    /// <summary>
    /// Plans the same room as <see cref="Plan(SynthRandom, RoomKind)"/> and then adds objects of classes outside the 20
    /// benchmark classes (lamps on surfaces, boxes and bags on the floor, towels on walls) drawn from
    /// <paramref name="unseen"/> alone, so every other object of the room is unchanged.
    /// </summary>
    public static RoomLayout Plan(SynthRandom rng, RoomKind kind, SynthRandom unseen) => new RoomPlanner(rng, kind).Plan(unseen);

    /// <summary>
    /// Plans the same room as <see cref="Plan(SynthRandom, RoomKind)"/> (with the unseen classes when
    /// <paramref name="unseen"/> is given) and then crowds it as real rooms are (<see cref="PlaceContactClutter"/>):
    /// annotated things packed onto every surface, touching each other, and boxes and bags on the floor against the
    /// walls and each other, all drawn from <paramref name="crowd"/> alone, so every other object of the room is unchanged.
    /// </summary>
    public static RoomLayout Plan(SynthRandom rng, RoomKind kind, SynthRandom? unseen, SynthRandom crowd) => new RoomPlanner(rng, kind).Plan(unseen, crowd);

    /// <summary>The room kind of scene <paramref name="index"/> of a dataset: every block of five consecutive
    /// scenes holds each kind once (in an order drawn from <paramref name="seed"/>), so a set of 20 has 4 of each.</summary>
    public static RoomKind KindOf(int index, ulong seed)
    {
        var kinds = Enum.GetValues<RoomKind>().ToList();
        new SynthRandom(seed ^ (0xB10C5UL * (ulong)(index / kinds.Count + 1))).Shuffle(kinds);
        return kinds[index % kinds.Count];
    }

    private RoomLayout Plan(SynthRandom? unseen, SynthRandom? crowd = null)
    {
        PlaceDoors();
        PlaceWindows();
        switch (_kind)
        {
            case RoomKind.Bedroom: FurnishBedroom(); break;
            case RoomKind.LivingRoom: FurnishLivingRoom(); break;
            case RoomKind.Office: FurnishOffice(); break;
            case RoomKind.Kitchen: FurnishKitchen(); break;
            default: FurnishBathroom(); break;
        }
        PlacePictures(_kind == RoomKind.Bathroom ? _rng.Int(0, 2) : _rng.Int(1, 4));
        if (_rng.Chance(_kind == RoomKind.Bathroom ? 0.3 : 0.6)) PlaceOtherFurniture();
        PlaceClutter();
        PlaceFloorClutter(_rng.Int(0, 4));
        if (unseen is not null) PlaceUnseenClasses(unseen);
        if (crowd is not null) PlaceContactClutter(crowd);
        var objects = new List<RoomObject> { BuildFloor() };
        objects.AddRange(BuildWalls());
        objects.AddRange(_furniture);
        return new RoomLayout(_kind, _w, _d, _h, objects, PlaceCameras(), PlaceLights());
    }

    // ---- walls, floor, openings -------------------------------------------------------------------------------

    /// <summary>A frame on wall <paramref name="k"/> at position <paramref name="s"/>, floor level: +X along the
    /// wall, +Y into the room.</summary>
    private Frame WallFrame(int k, float s, float inward = 0, float yawJitter = 0)
    {
        var p = _start[k] + _dir[k] * s + new Vector2(-_dir[k].Y, _dir[k].X) * inward;
        return Frame.Yaw(new Vector3(p, 0), MathF.Atan2(_dir[k].Y, _dir[k].X) + yawJitter);
    }

    private Vector2 Inward(int k) => new(-_dir[k].Y, _dir[k].X);

    private bool WallFree(int k, float s0, float s1, float z0, float z1)
    {
        if (s0 < -0.001f || s1 > _length[k] + 0.001f) return false;
        foreach (var t in _wallTaken[k])
        {
            if (s0 < t.S1 && s1 > t.S0 && z0 < t.Z1 && z1 > t.Z0) return false;
        }
        return true;
    }

    private bool FloorFree(Footprint fp)
    {
        if (!fp.InsideRoom(_w, _d)) return false;
        foreach (var t in _floorTaken)
        {
            if (fp.Overlaps(t)) return false;
        }
        return true;
    }

    private void PlaceDoors()
    {
        int doors = _kind == RoomKind.Office && _rng.Chance(0.4) ? 2 : 1;
        for (int i = 0; i < doors; i++)
        {
            for (int attempt = 0; attempt < 40; attempt++)
            {
                int k = _rng.Int(0, 4);
                float width = _rng.Uniform(0.78f, 0.95f), height = _rng.Uniform(1.98f, 2.12f);
                float s = _rng.Uniform(width / 2 + 0.15f, MathF.Max(width / 2 + 0.16f, _length[k] - width / 2 - 0.15f));
                if (!WallFree(k, s - width / 2 - 0.1f, s + width / 2 + 0.1f, 0, height + 0.1f)) continue;
                var swing = new Footprint(new Vector2(0, 0) + _start[k] + _dir[k] * s + Inward(k) * 0.5f, width / 2 + 0.05f, 0.5f, MathF.Atan2(_dir[k].Y, _dir[k].X));
                if (!FloorFree(swing)) continue;
                _wallTaken[k].Add((s - width / 2 - 0.1f, s + width / 2 + 0.1f, 0, height + 0.1f));
                _holes[k].Add((s - width / 2, s + width / 2, 0, height));
                _floorTaken.Add(swing);
                _doorways.Add(swing.Center);
                _furniture.Add(Door(WallFrame(k, s), width, height, _rng));
                break;
            }
        }
    }

    private void PlaceWindows()
    {
        int count = _kind switch
        {
            RoomKind.Bathroom => _rng.Chance(0.5) ? 1 : 0,
            RoomKind.Office or RoomKind.LivingRoom => _rng.Int(1, 4),
            _ => _rng.Int(1, 3),
        };
        double curtainChance = _kind switch
        {
            RoomKind.Bedroom or RoomKind.LivingRoom => 0.8,
            RoomKind.Office => 0.35,
            RoomKind.Kitchen => 0.25,
            _ => 0.0,
        };
        var curtainColor = Palette.Fabric(_rng);
        for (int i = 0; i < count; i++)
        {
            for (int attempt = 0; attempt < 30; attempt++)
            {
                int k = _rng.Int(0, 4);
                float width = _kind == RoomKind.Bathroom ? _rng.Uniform(0.4f, 0.7f) : _rng.Uniform(0.7f, 1.8f);
                float sill = _kind == RoomKind.Bathroom ? _rng.Uniform(1.2f, 1.4f) : _rng.Uniform(0.75f, 1.0f);
                float top = MathF.Min(_h - 0.2f, sill + _rng.Uniform(0.6f, 1.5f));
                if (width + 0.5f > _length[k]) continue;
                float s = _rng.Uniform(width / 2 + 0.25f, _length[k] - width / 2 - 0.25f);
                bool curtain = _rng.Chance(curtainChance);
                float margin = curtain ? 0.3f : 0.08f;
                float z1 = curtain ? _h : top + 0.1f;
                if (!WallFree(k, s - width / 2 - margin, s + width / 2 + margin, sill - 0.05f, z1)) continue;
                _wallTaken[k].Add((s - width / 2 - margin, s + width / 2 + margin, sill - 0.05f, z1));
                _holes[k].Add((s - width / 2, s + width / 2, sill, top));
                var wall = WallFrame(k, s);
                _furniture.Add(Window(wall, width, sill, top - sill, _rng));
                if (curtain)
                {
                    bool longCurtain = _rng.Chance(0.5);
                    float bottom = longCurtain ? 0.02f : sill - 0.1f;
                    if (longCurtain && !WallFree(k, s - width / 2 - 0.3f, s + width / 2 + 0.3f, 0, sill - 0.05f)) bottom = sill - 0.1f;
                    float rod = MathF.Min(_h - 0.05f, top + 0.12f);
                    foreach (int side in new[] { -1, 1 })
                    {
                        if (side == 1 && _rng.Chance(0.25)) continue;
                        float inner = _rng.Uniform(0.05f, 0.45f) * width;
                        float x0 = side < 0 ? -width / 2 - 0.25f : width / 2 - inner, x1 = side < 0 ? -width / 2 + inner : width / 2 + 0.25f;
                        _furniture.Add(Curtain(wall, x0, x1, bottom, rod, _rng, curtainColor));
                    }
                    if (bottom < sill - 0.2f)
                    {
                        _wallTaken[k].Add((s - width / 2 - 0.3f, s + width / 2 + 0.3f, 0, sill));
                        _floorTaken.Add(new Footprint(_start[k] + _dir[k] * s + Inward(k) * 0.09f, width / 2 + 0.3f, 0.09f, MathF.Atan2(_dir[k].Y, _dir[k].X)));
                    }
                }
                break;
            }
        }
    }

    private RoomObject BuildFloor()
    {
        var floor = new RoomObject(Nyu40.Floor, "floor");
        var (color, material) = _kind switch
        {
            RoomKind.Bathroom or RoomKind.Kitchen => (Palette.Jitter(new Vector3(0.75f, 0.74f, 0.7f), _rng, 0.15f), Material.Tiles),
            RoomKind.Office => _rng.Chance(0.6) ? (Palette.Fabric(_rng), Material.Carpet) : (Palette.Wood(_rng), Material.Planks),
            _ => _rng.Chance(0.7) ? (Palette.Wood(_rng), Material.Planks) : (Palette.Fabric(_rng), Material.Carpet),
        };
        floor.Add("floor", new PanelPrimitive(Frame.Identity, 0, _w, 0, _d, []), color, material);
        return floor;
    }

    private IEnumerable<RoomObject> BuildWalls()
    {
        var paint = Palette.Paint(_rng);
        int accent = _rng.Chance(0.3) ? _rng.Int(0, 4) : -1;
        for (int k = 0; k < 4; k++)
        {
            var wall = new RoomObject(Nyu40.Wall, "wall");
            // Panel frame: origin at the wall's end, +X running back to its start, +Y up, +Z into the room;
            // wall position s maps to panel u = length − s.
            var end = _start[k] + _dir[k] * _length[k];
            var frame = new Frame(new Vector3(end, 0), new Vector3(-_dir[k], 0), Vector3.UnitZ, new Vector3(Inward(k), 0));
            var holes = _holes[k].Select(h => new PanelHole(_length[k] - h.S1, _length[k] - h.S0, h.Z0, h.Z1)).ToArray();
            var color = k == accent ? Palette.Paint(_rng) : paint;
            wall.Add("wall", new PanelPrimitive(frame, 0, _length[k], 0, _h, holes), color, Material.Paint);
            if (_kind != RoomKind.Bathroom && _rng.Chance(0.5))
            {
                // A skirting board along the wall: part of the wall, as annotators label it.
                float th = 0.015f;
                var board = Frame.Yaw(new Vector3(_start[k] + _dir[k] * (_length[k] / 2) + Inward(k) * th / 2, 0), MathF.Atan2(_dir[k].Y, _dir[k].X));
                wall.Add("skirting", Span(board, -_length[k] / 2 + th, _length[k] / 2 - th, -th / 2, th / 2, 0, 0.07f, BoxFaces.PosY | BoxFaces.PosZ), Palette.Shade(paint, 0.85f), Material.Paint);
            }
            yield return wall;
        }
    }

    private void PlacePictures(int count)
    {
        for (int i = 0; i < count; i++)
        {
            for (int attempt = 0; attempt < 25; attempt++)
            {
                int k = _rng.Int(0, 4);
                float w = _rng.Uniform(0.3f, 1.2f), h = _rng.Uniform(0.25f, 0.9f), z = _rng.Uniform(1.2f, 1.75f);
                if (z + h / 2 > _h - 0.1f || w + 0.2f > _length[k]) continue;
                float s = _rng.Uniform(w / 2 + 0.1f, _length[k] - w / 2 - 0.1f);
                if (!WallFree(k, s - w / 2 - 0.05f, s + w / 2 + 0.05f, z - h / 2 - 0.05f, z + h / 2 + 0.05f)) continue;
                _wallTaken[k].Add((s - w / 2 - 0.05f, s + w / 2 + 0.05f, z - h / 2 - 0.05f, z + h / 2 + 0.05f));
                _furniture.Add(Picture(WallFrame(k, s), w, h, z, _rng));
                break;
            }
        }
    }

    private void PlaceOtherFurniture()
    {
        // Every attempt rebuilds the same object from an unchanged sub-stream, so its size is known up front.
        var sub = _rng.Fork(0x07E5);
        var o = OtherFurniture(Frame.Identity, sub.Fork(1), out float size);
        for (int attempt = 0; attempt < 30; attempt++)
        {
            bool atWall = _rng.Chance(0.6);
            if (atWall)
            {
                int k = _rng.Int(0, 4);
                float s = _rng.Uniform(size / 2 + 0.05f, _length[k] - size / 2 - 0.05f);
                if (TryAgainstWall(k, s, size, size, o.Top, 0.02f, f => [OtherFurniture(f, sub.Fork(1), out _)])) return;
            }
            else
            {
                var c = new Vector2(_rng.Uniform(0.4f, _w - 0.4f), _rng.Uniform(0.4f, _d - 0.4f));
                float yaw = _rng.Uniform(0, 6.28f);
                var fp = new Footprint(c, size / 2, size / 2, yaw);
                if (!FloorFree(fp)) continue;
                _floorTaken.Add(fp);
                _furniture.Add(OtherFurniture(Frame.Yaw(new Vector3(c, 0), yaw), sub.Fork(1), out _));
                return;
            }
        }
    }

    private void PlaceClutter()
    {
        foreach (var (frame, hw, hd, z) in _surfaces)
        {
            int n = _rng.Int(0, Math.Min(4, 1 + (int)(hw * hd * 8)));
            var placed = new List<Vector2>();
            for (int i = 0; i < n; i++)
            {
                var p = new Vector2(_rng.Uniform(-hw + 0.15f, hw - 0.15f), _rng.Uniform(-hd + 0.12f, hd - 0.12f));
                if (hw < 0.2f || hd < 0.15f || placed.Any(q => Vector2.Distance(p, q) < 0.35f)) continue;
                placed.Add(p);
                _furniture.Add(Clutter(frame, p.X, p.Y, z, _rng));
            }
        }
    }

    // Boxes, bags and bottles standing on the floor, mostly along the walls (annotated otherprop or not at all).
    private void PlaceFloorClutter(int count)
    {
        for (int i = 0; i < count; i++)
        {
            for (int attempt = 0; attempt < 20; attempt++)
            {
                int k = _rng.Int(0, 4);
                float s = _rng.Uniform(0.3f, _length[k] - 0.3f), off = _rng.Chance(0.7) ? _rng.Uniform(0.17f, 0.3f) : _rng.Uniform(0.4f, 1.5f);
                var c = _start[k] + _dir[k] * s + Inward(k) * off;
                var fp = new Footprint(c, 0.17f, 0.17f, _rng.Uniform(0, 6.28f));
                if (!FloorFree(fp)) continue;
                _floorTaken.Add(fp);
                _furniture.Add(Clutter(Frame.Yaw(new Vector3(c, 0), fp.Yaw), 0, 0, 0, _rng));
                break;
            }
        }
    }

    // Objects of NYU40 classes beyond the benchmark's 20, from their own generator (the room's draws stay as they were).
    private void PlaceUnseenClasses(SynthRandom rng)
    {
        foreach (var (frame, hw, hd, z) in _surfaces)
        {
            if (hw < 0.2f || hd < 0.15f || !rng.Chance(0.5)) continue;
            _furniture.Add(Lamp(frame, rng.Uniform(-hw + 0.1f, hw - 0.1f), rng.Uniform(-hd + 0.1f, hd - 0.1f), z, rng));
        }
        int floorObjects = rng.Int(2, 5);
        for (int i = 0; i < floorObjects; i++)
        {
            for (int attempt = 0; attempt < 20; attempt++)
            {
                int k = rng.Int(0, 4);
                float s = rng.Uniform(0.4f, _length[k] - 0.4f);
                var c = _start[k] + _dir[k] * s + Inward(k) * rng.Uniform(0.3f, 0.6f);
                var fp = new Footprint(c, 0.3f, 0.3f, rng.Uniform(0, 6.28f));
                if (!FloorFree(fp)) continue;
                _floorTaken.Add(fp);
                var f = Frame.Yaw(new Vector3(c, 0), fp.Yaw);
                _furniture.Add(rng.Chance(0.5) ? StorageBox(f, rng) : Bag(f, rng));
                break;
            }
        }
        int towels = _kind is RoomKind.Bathroom or RoomKind.Kitchen ? rng.Int(1, 3) : rng.Int(0, 2);
        for (int i = 0; i < towels; i++)
        {
            for (int attempt = 0; attempt < 20; attempt++)
            {
                int k = rng.Int(0, 4);
                float s = rng.Uniform(0.4f, _length[k] - 0.4f), z = rng.Uniform(1.0f, 1.5f);
                if (!WallFree(k, s - 0.35f, s + 0.35f, z - 0.45f, z + 0.45f)) continue;
                _wallTaken[k].Add((s - 0.35f, s + 0.35f, z - 0.45f, z + 0.45f));
                _furniture.Add(Towel(WallFrame(k, s), z, rng));
                break;
            }
        }
    }

    // Real rooms are crowded: things side by side on every surface (a contact between two instances every ~11 cm) and
    // boxes and bags on the floor pushed against the walls, often in rows. All annotated (otherprop, box, bag).
    private void PlaceContactClutter(SynthRandom rng)
    {
        foreach (var (frame, hw, hd, z) in _surfaces)
        {
            if (hw < 0.2f || hd < 0.15f) continue;
            var placed = new List<Vector2>();
            int n = Math.Min(20, 3 + (int)(hw * hd * 80));
            for (int attempt = 0; attempt < 4 * n && placed.Count < n; attempt++)
            {
                var p = new Vector2(rng.Uniform(-hw + 0.08f, hw - 0.08f), rng.Uniform(-hd + 0.07f, hd - 0.07f));
                if (placed.Any(q => Vector2.Distance(p, q) < 0.11f)) continue;
                placed.Add(p);
                var o = Clutter(frame, p.X, p.Y, z, rng);
                var annotated = new RoomObject(Nyu40.OtherProp, o.Name);
                annotated.Parts.AddRange(o.Parts);
                _furniture.Add(annotated);
            }
        }
        int floorObjects = rng.Int(8, 17);
        (int Wall, float S)? last = null;
        for (int i = 0; i < floorObjects; i++)
        {
            for (int attempt = 0; attempt < 20; attempt++)
            {
                // Half of them in a row with the previous one (touching it), the rest anywhere along a wall.
                bool row = last is not null && attempt < 3 && rng.Chance(0.5);
                int k = row ? last!.Value.Wall : rng.Int(0, 4);
                float s = row ? last!.Value.S + (rng.Chance(0.5) ? 0.31f : -0.31f) : rng.Uniform(0.3f, _length[k] - 0.3f);
                if (s < 0.3f || s > _length[k] - 0.3f) continue;
                var c = _start[k] + _dir[k] * s + Inward(k) * 0.16f;
                var fp = new Footprint(c, 0.15f, 0.15f, MathF.Atan2(_dir[k].Y, _dir[k].X));
                if (!FloorFree(fp)) continue;
                _floorTaken.Add(fp);
                var f = Frame.Yaw(new Vector3(c, 0), fp.Yaw);
                _furniture.Add(rng.Chance(0.5) ? StorageBox(f, rng) : Bag(f, rng));
                last = (k, s);
                break;
            }
        }
    }

    // ---- scanner -----------------------------------------------------------------------------------------------

    private List<Vector3> PlaceCameras()
    {
        var candidates = new List<Vector2>();
        for (float x = 0.35f; x < _w - 0.3f; x += 0.15f)
        {
            for (float y = 0.35f; y < _d - 0.3f; y += 0.15f)
            {
                var p = new Vector2(x, y);
                if (!_floorTaken.Any(f => f.Contains(p, 0.2f)) || _doorways.Any(d => Vector2.Distance(d, p) < 0.3f)) candidates.Add(p);
            }
        }
        if (candidates.Count == 0) candidates.Add(new Vector2(_w / 2, _d / 2));
        int count = _rng.Int(3, 7);
        // Farthest-point sampling from a random first position: the scanner walked around the whole room.
        var chosen = new List<Vector2> { candidates[_rng.Int(0, candidates.Count)] };
        while (chosen.Count < Math.Min(count, candidates.Count))
        {
            var best = candidates.MaxBy(c => chosen.Min(q => Vector2.DistanceSquared(c, q)) * _rng.Uniform(0.6f, 1f));
            chosen.Add(best);
        }
        return chosen.Select(c => new Vector3(c, _rng.Uniform(1.15f, MathF.Min(1.75f, _h - 0.3f)))).ToList();
    }

    private List<Vector3> PlaceLights()
    {
        int n = _rng.Int(1, 4);
        var lights = new List<Vector3>();
        for (int i = 0; i < n; i++) lights.Add(new Vector3(_rng.Uniform(0.3f, _w - 0.3f), _rng.Uniform(0.3f, _d - 0.3f), _h - 0.05f));
        return lights;
    }

    // ---- placing against walls --------------------------------------------------------------------------------

    /// <summary>
    /// Tries to stand an object of footprint <paramref name="width"/> × <paramref name="depth"/> and height
    /// <paramref name="height"/> with its back against wall <paramref name="k"/>, centred at <paramref name="s"/>.
    /// <paramref name="build"/> gets the object's floor frame and returns its objects.
    /// </summary>
    private bool TryAgainstWall(int k, float s, float width, float depth, float height, float gap, Func<Frame, IEnumerable<RoomObject>> build, float frontClearance = 0)
    {
        if (!WallFree(k, s - width / 2, s + width / 2, 0, height)) return false;
        float jitter = _rng.Uniform(-0.02f, 0.02f);
        gap += MathF.Abs(jitter) * width / 2;
        var center = _start[k] + _dir[k] * s + Inward(k) * (gap + (depth + frontClearance) / 2);
        var fp = new Footprint(center, width / 2, (depth + frontClearance) / 2, MathF.Atan2(_dir[k].Y, _dir[k].X) + jitter);
        if (!FloorFree(fp)) return false;
        _wallTaken[k].Add((s - width / 2, s + width / 2, 0, height));
        _floorTaken.Add(fp);
        _furniture.AddRange(build(WallFrame(k, s, gap + depth / 2, jitter)));
        return true;
    }

    /// <summary><see cref="TryAgainstWall"/> at random walls and positions, up to <paramref name="attempts"/> times.</summary>
    private bool PlaceAgainstSomeWall(float width, float depth, float height, Func<Frame, IEnumerable<RoomObject>> build, float frontClearance = 0, int attempts = 40, float gap = 0.01f)
    {
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            int k = _rng.Int(0, 4);
            if (width + 0.04f > _length[k]) continue;
            float s = _rng.Chance(0.35)
                ? (_rng.Chance(0.5) ? width / 2 + 0.02f : _length[k] - width / 2 - 0.02f) // into a corner
                : _rng.Uniform(width / 2 + 0.02f, _length[k] - width / 2 - 0.02f);
            if (TryAgainstWall(k, s, width, depth, height, gap, build, frontClearance)) return true;
        }
        return false;
    }

    /// <summary>Stands a free object group with footprint half-sizes and yaw at a random free spot.</summary>
    private bool PlaceFree(float halfWidth, float halfDepth, Func<Frame, IEnumerable<RoomObject>> build, int attempts = 60, float yawSpread = 0.3f)
    {
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            float yaw = (_rng.Chance(0.5) ? 0 : MathF.PI / 2) + _rng.Uniform(-yawSpread, yawSpread);
            var c = new Vector2(_rng.Uniform(0.3f, _w - 0.3f), _rng.Uniform(0.3f, _d - 0.3f));
            var fp = new Footprint(c, halfWidth, halfDepth, yaw);
            if (!FloorFree(fp)) continue;
            _floorTaken.Add(fp);
            _furniture.AddRange(build(Frame.Yaw(new Vector3(c, 0), yaw)));
            return true;
        }
        return false;
    }
}
