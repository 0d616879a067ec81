using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>
/// Builds furniture from parts. Every builder takes a floor frame: origin at the centre of the object's footprint
/// on the floor, +X across the object, +Y towards its front (away from the wall it stands against), +Z up.
/// Parts get their own colours and materials, so an object is not one flat colour (the seat is not the legs).
/// </summary>
public static partial class Furniture
{
    /// <summary>NYU40 ids used by the generator (REFERENCE.md §1.2).</summary>
    public static class Nyu40
    {
        /// <summary>wall</summary>
        public const int Wall = 1;
        /// <summary>floor</summary>
        public const int Floor = 2;
        /// <summary>cabinet</summary>
        public const int Cabinet = 3;
        /// <summary>bed</summary>
        public const int Bed = 4;
        /// <summary>chair</summary>
        public const int Chair = 5;
        /// <summary>sofa</summary>
        public const int Sofa = 6;
        /// <summary>table</summary>
        public const int Table = 7;
        /// <summary>door</summary>
        public const int Door = 8;
        /// <summary>window</summary>
        public const int Window = 9;
        /// <summary>bookshelf</summary>
        public const int Bookshelf = 10;
        /// <summary>picture</summary>
        public const int Picture = 11;
        /// <summary>counter</summary>
        public const int Counter = 12;
        /// <summary>desk</summary>
        public const int Desk = 14;
        /// <summary>curtain</summary>
        public const int Curtain = 16;
        /// <summary>pillow</summary>
        public const int Pillow = 18;
        /// <summary>refrigerator</summary>
        public const int Refrigerator = 24;
        /// <summary>television</summary>
        public const int Television = 25;
        /// <summary>shower curtain</summary>
        public const int ShowerCurtain = 28;
        /// <summary>night stand</summary>
        public const int NightStand = 32;
        /// <summary>toilet</summary>
        public const int Toilet = 33;
        /// <summary>sink</summary>
        public const int Sink = 34;
        /// <summary>bathtub</summary>
        public const int Bathtub = 36;
        /// <summary>otherfurniture</summary>
        public const int OtherFurniture = 39;
        /// <summary>otherprop</summary>
        public const int OtherProp = 40;
    }

    /// <summary>A box with centre (x, y, z) and half-sizes in frame <paramref name="f"/>.</summary>
    public static BoxPrimitive Box(Frame f, float x, float y, float z, float hx, float hy, float hz, BoxFaces faces = BoxFaces.All) =>
        new(f.Offset(x, y, z), new Vector3(hx, hy, hz), faces);

    /// <summary>A box spanning [x0, x1] × [y0, y1] × [z0, z1] in frame <paramref name="f"/>.</summary>
    public static BoxPrimitive Span(Frame f, float x0, float x1, float y0, float y1, float z0, float z1, BoxFaces faces = BoxFaces.All) =>
        Box(f, 0.5f * (x0 + x1), 0.5f * (y0 + y1), 0.5f * (z0 + z1), 0.5f * (x1 - x0), 0.5f * (y1 - y0), 0.5f * (z1 - z0), faces);

    /// <summary>A vertical cylinder (or cone) standing at (x, y, z) in frame <paramref name="f"/>.</summary>
    public static FrustumPrimitive Cylinder(Frame f, float x, float y, float z, float r0, float r1, float height, bool bottomCap = true, bool topCap = true) =>
        new(f.Offset(x, y, z), r0, r1, height, bottomCap, topCap);

    /// <summary>Four legs under a rectangle of half-sizes (hx, hy), inset by <paramref name="inset"/>.</summary>
    public static void AddLegs(RoomObject o, Frame f, float hx, float hy, float inset, float height, float thickness, bool round, Vector3 albedo, Material material)
    {
        foreach (var (sx, sy) in new[] { (-1, -1), (1, -1), (1, 1), (-1, 1) })
        {
            float x = sx * (hx - inset), y = sy * (hy - inset);
            Primitive leg = round
                ? Cylinder(f, x, y, 0, thickness * 0.5f, thickness * 0.5f, height, bottomCap: false)
                : Box(f, x, y, height * 0.5f, thickness * 0.5f, thickness * 0.5f, height * 0.5f, BoxFaces.All & ~BoxFaces.NegZ);
            o.Add("leg", leg, albedo, material);
        }
    }
}
