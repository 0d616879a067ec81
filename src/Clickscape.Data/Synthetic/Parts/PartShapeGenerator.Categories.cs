using Clickscape.Data.Synthetic.Meshing;
using static Clickscape.Data.Synthetic.Scenes.Furniture;

namespace Clickscape.Data.Synthetic.Parts;

public static partial class PartShapeGenerator
{
    private static readonly Frame O = Frame.Identity;

    private static PartNode Chair(PartTreeBuilder b, SynthRandom rng, bool hard)
    {
        var root = b.Node(null, "chair");
        float hw = rng.Uniform(0.19f, 0.28f), hd = rng.Uniform(0.19f, 0.26f), seatZ = rng.Uniform(0.4f, 0.5f), t = rng.Uniform(0.03f, 0.08f);
        float backH = rng.Uniform(0.3f, 0.6f), tilt = rng.Uniform(0, 0.25f);
        if (hard)
        {
            // varied proportions: from stools to wide benches, low lounge seats to tall backs
            hw *= rng.Uniform(0.7f, 1.6f);
            hd *= rng.Uniform(0.75f, 1.3f);
            seatZ *= rng.Uniform(0.7f, 1.3f);
            backH *= rng.Uniform(0.5f, 1.5f);
        }
        var backFrame = O.Offset(0, -hd + 0.025f, seatZ + t).TiltAboutX(tilt);
        var back = b.Node(root, "chair_back");
        if (rng.Chance(0.5))
        {
            b.Leaf(back, "back_surface", Box(backFrame, 0, 0, backH / 2, hw, 0.025f, backH / 2));
        }
        else
        {
            var frame = b.Node(back, "back_frame");
            float bar = rng.Uniform(0.015f, 0.03f);
            b.Leaf(frame, "back_frame_vertical_bar", Box(backFrame, -hw + bar, 0, backH / 2, bar, 0.02f, backH / 2));
            b.Leaf(frame, "back_frame_vertical_bar", Box(backFrame, hw - bar, 0, backH / 2, bar, 0.02f, backH / 2));
            b.Leaf(frame, "back_frame_horizontal_bar", Box(backFrame, 0, 0, backH - bar, hw - 2 * bar, 0.02f, bar));
            b.Leaf(back, "back_surface", Box(backFrame, 0, 0, backH * 0.55f, hw - 2 * bar, 0.012f, backH * 0.3f));
        }
        var seat = b.Node(root, "chair_seat");
        b.Leaf(seat, "seat_surface", Box(O, 0, 0, seatZ + t / 2, hw, hd, t / 2));
        var chairBase = b.Node(root, "chair_base");
        if (rng.Chance(0.4))
        {
            var star = b.Node(chairBase, "star_leg_base");
            b.Leaf(star, "central_support", Cylinder(O, 0, 0, 0.08f, 0.025f, 0.025f, seatZ - 0.08f));
            int legs = 5;
            float phase = rng.Uniform(0, 6.28f), reach = rng.Uniform(0.24f, 0.32f);
            var legSet = b.Node(star, "star_leg_set");
            for (int k = 0; k < legs; k++)
            {
                var spoke = Frame.Yaw(O.Point(0, 0, 0.07f), phase + 2 * MathF.PI * k / legs);
                b.Leaf(legSet, "leg", Box(spoke, reach / 2, 0, 0, reach / 2, 0.02f, 0.015f));
                b.Leaf(star, "wheel", Cylinder(spoke, reach - 0.01f, 0, -0.07f, 0.025f, 0.025f, 0.05f));
            }
        }
        else
        {
            var regular = b.Node(chairBase, "regular_leg_base");
            float leg = rng.Uniform(0.02f, 0.045f), inset = leg;
            bool round = rng.Chance(0.4);
            // hard: thicker legs flush with the seat's edge, and one leg may be missing
            int missingLeg = -1;
            if (hard)
            {
                leg *= rng.Uniform(1f, 1.8f);
                inset = leg / 2;
                if (rng.Chance(0.25)) missingLeg = rng.Int(0, 4);
            }
            int legIndex = 0;
            foreach (var (sx, sy) in new[] { (-1, -1), (1, -1), (1, 1), (-1, 1) })
            {
                if (legIndex++ == missingLeg) continue;
                Primitive p = round
                    ? Cylinder(O, sx * (hw - inset), sy * (hd - inset), 0, leg / 2, leg / 2, seatZ)
                    : Box(O, sx * (hw - inset), sy * (hd - inset), seatZ / 2, leg / 2, leg / 2, seatZ / 2);
                b.Leaf(regular, "leg", p);
            }
            int stretchers = rng.Int(0, 3);
            for (int s = 0; s < stretchers; s++)
            {
                float sx = s == 0 ? -1 : 1;
                b.Leaf(regular, "bar_stretcher", Box(O, sx * (hw - inset), 0, seatZ * 0.3f, leg / 3, hd - inset, leg / 3));
            }
        }
        if (rng.Chance(0.4))
        {
            var arms = b.Node(root, "chair_arm");
            // hard: the arms sit on the seat's edge (touching it) and one side may be missing
            float ax = hard ? hw + 0.02f : hw + 0.03f;
            int missingSide = hard && rng.Chance(0.3) ? (rng.Chance(0.5) ? -1 : 1) : 0;
            foreach (int side in new[] { -1, 1 })
            {
                if (side == missingSide) continue;
                b.Leaf(arms, "arm_horizontal_bar", Box(O, side * ax, 0, seatZ + t + 0.2f, 0.025f, hd * 0.8f, 0.015f));
                b.Leaf(arms, "arm_vertical_bar", Box(O, side * ax, hd * 0.5f, seatZ + t + 0.1f, 0.015f, 0.015f, 0.1f));
            }
        }
        return root;
    }

    private static PartNode Table(PartTreeBuilder b, SynthRandom rng, bool hard)
    {
        var root = b.Node(null, "table");
        bool round = rng.Chance(0.3);
        float hw = rng.Uniform(0.35f, 0.9f), hd = round ? hw : rng.Uniform(0.3f, 0.5f), h = rng.Uniform(0.45f, 0.78f), t = rng.Uniform(0.02f, 0.05f);
        if (hard)
        {
            // coffee tables to long desks and bar tables
            hw *= rng.Uniform(0.6f, 1.4f);
            if (!round) hd *= rng.Uniform(0.7f, 1.6f);
            h *= rng.Uniform(0.6f, 1.5f);
        }
        var top = b.Node(root, "tabletop");
        b.Leaf(top, "tabletop_surface", round ? Cylinder(O, 0, 0, h - t, hw, hw, t) : Box(O, 0, 0, h - t / 2, hw, hd, t / 2));
        if (!round && rng.Chance(0.5))
            b.Leaf(top, "tabletop_frame", Span(O, -hw + 0.05f, hw - 0.05f, -hd + 0.05f, hd - 0.05f, h - t - 0.07f, h - t, BoxFaces.All & ~BoxFaces.PosZ));
        var tableBase = b.Node(root, "table_base");
        if (round)
        {
            var pedestal = b.Node(tableBase, "pedestal_base");
            b.Leaf(pedestal, "central_support", Cylinder(O, 0, 0, 0.03f, 0.04f, 0.04f, h - t - 0.03f, false, false));
            b.Leaf(pedestal, "foot", Cylinder(O, 0, 0, 0, hw * 0.5f, hw * 0.45f, 0.03f));
        }
        else
        {
            var regular = b.Node(tableBase, "regular_leg_base");
            float leg = rng.Uniform(0.03f, 0.07f), inset = rng.Uniform(0.03f, 0.08f);
            // hard: paired legs close together (touching on narrow tables) and a missing stretcher
            bool paired = hard && rng.Chance(0.3);
            foreach (var (sx, sy) in new[] { (-1, -1), (1, -1), (1, 1), (-1, 1) })
            {
                float y = paired ? sy * leg / 2 : sy * (hd - inset);
                b.Leaf(regular, "leg", Box(O, sx * (hw - inset), y, (h - t) / 2, leg / 2, leg / 2, (h - t) / 2));
            }
            if (rng.Chance(0.5))
            {
                bool dropOne = hard && rng.Chance(0.4);
                b.Leaf(regular, "bar_stretcher", Box(O, 0, -(hd - inset), (h - t) * 0.25f, hw - inset, leg / 3, leg / 3));
                if (!dropOne) b.Leaf(regular, "bar_stretcher", Box(O, 0, hd - inset, (h - t) * 0.25f, hw - inset, leg / 3, leg / 3));
            }
        }
        return root;
    }

    private static PartNode Lamp(PartTreeBuilder b, SynthRandom rng, bool hard)
    {
        var root = b.Node(null, "table_or_floor_lamp");
        bool floor = rng.Chance(0.5);
        float poleH = floor ? rng.Uniform(1.2f, 1.6f) : rng.Uniform(0.25f, 0.5f), baseR = rng.Uniform(0.08f, 0.18f), baseH = rng.Uniform(0.02f, 0.06f);
        var lampBase = b.Node(root, "lamp_base");
        b.Leaf(lampBase, "lamp_base_part", Cylinder(O, 0, 0, 0, baseR, baseR * rng.Uniform(0.6f, 1f), baseH));
        var body = b.Node(root, "lamp_body");
        float r = rng.Uniform(0.01f, 0.025f);
        var headPoint = O.Point(0, 0, baseH + poleH);
        if (rng.Chance(0.5))
        {
            b.Leaf(body, "lamp_pole", Cylinder(O, 0, 0, baseH, r, r, poleH, false, false));
        }
        else
        {
            // A bent arm: a vertical pole and a tilted upper segment.
            float lower = poleH * rng.Uniform(0.5f, 0.75f), upper = poleH - lower, angle = rng.Uniform(0.3f, 0.9f);
            b.Leaf(body, "lamp_pole", Cylinder(O, 0, 0, baseH, r, r, lower, false, false));
            var joint = O.Offset(0, 0, baseH + lower).TiltAboutX(angle);
            b.Leaf(body, "lamp_pole", new FrustumPrimitive(joint, r, r, upper, false, false));
            headPoint = joint.Point(0, 0, upper);
        }
        var unit = b.Node(root, "lamp_unit");
        var head = b.Node(unit, "lamp_head");
        float shadeH = rng.Uniform(0.12f, 0.3f), r0 = rng.Uniform(0.08f, 0.22f), r1 = r0 * rng.Uniform(0.5f, 0.9f);
        var shadeFrame = new Frame(headPoint - new System.Numerics.Vector3(0, 0, shadeH * 0.6f), O.X, O.Y, O.Z);
        b.Leaf(head, "lamp_shade", new FrustumPrimitive(shadeFrame, r0, r1, shadeH, false, false));
        // hard: some lamps have no bulb; others carry a second head touching the first
        if (!hard || !rng.Chance(0.3))
            b.Leaf(head, "light_bulb", new FrustumPrimitive(shadeFrame.Offset(0, 0, shadeH * 0.2f), 0.03f, 0.02f, 0.08f));
        if (hard && rng.Chance(0.35))
        {
            var second = b.Node(unit, "lamp_head");
            b.Leaf(second, "lamp_shade", new FrustumPrimitive(shadeFrame.Offset(2 * r0, 0, 0), r0, r1, shadeH, false, false));
        }
        return root;
    }

    private static PartNode Storage(PartTreeBuilder b, SynthRandom rng, bool hard)
    {
        var root = b.Node(null, "storage_furniture");
        float hw = rng.Uniform(0.25f, 0.7f), hd = rng.Uniform(0.2f, 0.3f), h = rng.Uniform(0.5f, 1.8f), t = 0.02f, foot = rng.Chance(0.5) ? 0.08f : 0;
        // hard: drawers and doors touch (no gap between fronts) and some handles are missing
        float gap = hard ? 0f : 0.003f;
        double noHandle = hard ? 0.3 : 0;
        if (hard) hd *= rng.Uniform(0.8f, 1.8f);
        var cabinet = b.Node(root, "cabinet");
        var frame = b.Node(cabinet, "cabinet_frame");
        b.Leaf(frame, "side_panel", Span(O, -hw, -hw + t, -hd, hd, foot, h));
        b.Leaf(frame, "side_panel", Span(O, hw - t, hw, -hd, hd, foot, h));
        b.Leaf(frame, "top_panel", Span(O, -hw, hw, -hd, hd, h - t, h));
        b.Leaf(frame, "bottom_panel", Span(O, -hw + t, hw - t, -hd, hd, foot, foot + t));
        b.Leaf(frame, "back_panel", Span(O, -hw + t, hw - t, -hd, -hd + 0.01f, foot + t, h - t));
        float inner = h - t - foot - t;
        int drawers = rng.Int(0, 4);
        float drawerH = drawers == 0 ? 0 : MathF.Min(0.25f, inner / (drawers + 1));
        for (int k = 0; k < drawers; k++)
        {
            var drawer = b.Node(cabinet, "drawer");
            float z0 = foot + t + k * drawerH;
            b.Leaf(drawer, "drawer_front", Span(O, -hw + t, hw - t, hd - 0.02f, hd, z0 + gap, z0 + drawerH - gap));
            if (noHandle == 0 || !rng.Chance(noHandle))
                b.Leaf(drawer, "handle", Span(O, -0.06f, 0.06f, hd, hd + 0.02f, z0 + drawerH * 0.5f, z0 + drawerH * 0.5f + 0.015f));
        }
        float doorZ0 = foot + t + drawers * drawerH, doorZ1 = h - t;
        if (doorZ1 - doorZ0 > 0.15f)
        {
            int doors = hw > 0.35f ? 2 : 1;
            float dw = (2 * hw - 2 * t) / doors;
            for (int k = 0; k < doors; k++)
            {
                var door = b.Node(cabinet, "cabinet_door");
                float x0 = -hw + t + k * dw;
                b.Leaf(door, "cabinet_door_surface", Span(O, x0 + gap, x0 + dw - gap, hd - 0.02f, hd, doorZ0 + gap, doorZ1 - gap));
                float hx = doors == 2 ? (k == 0 ? x0 + dw - 0.04f : x0 + 0.04f) : x0 + dw - 0.04f;
                if (noHandle == 0 || !rng.Chance(noHandle))
                    b.Leaf(door, "handle", Span(O, hx - 0.008f, hx + 0.008f, hd, hd + 0.02f, (doorZ0 + doorZ1) / 2 - 0.06f, (doorZ0 + doorZ1) / 2 + 0.06f));
            }
        }
        if (foot > 0)
        {
            var cabinetBase = b.Node(cabinet, "cabinet_base");
            foreach (var (sx, sy) in new[] { (-1, -1), (1, -1), (1, 1), (-1, 1) })
                b.Leaf(cabinetBase, "foot", Cylinder(O, sx * (hw - 0.04f), sy * (hd - 0.04f), 0, 0.02f, 0.02f, foot));
        }
        return root;
    }

    // Scissors (hard set only): two blades crossing at a screw and two handle rings, one level of parts under the root
    // (the middle and fine levels are missing and copied from the coarse one): the symmetric, touching instances the
    // semantic region centre (§3.3, Fig. 5) is for.
    private static PartNode Scissors(PartTreeBuilder b, SynthRandom rng)
    {
        var root = b.Node(null, "scissors");
        float length = rng.Uniform(0.12f, 0.22f), open = rng.Uniform(0.08f, 0.35f), width = rng.Uniform(0.008f, 0.016f), ring = rng.Uniform(0.025f, 0.045f);
        var pivot = O.Offset(0, 0, 0.02f);
        foreach (int side in new[] { -1, 1 })
        {
            var arm = Frame.Yaw(pivot.Point(0, 0, 0), side * open / 2);
            b.Leaf(root, "blade", Box(arm, length / 2, 0, side * 0.002f, length / 2, width, 0.002f));
            b.Leaf(root, "handle", Cylinder(arm, -ring - 0.02f, 0, side * 0.002f - 0.003f, ring, ring, 0.006f));
        }
        b.Leaf(root, "screw", Cylinder(pivot, 0, 0, -0.006f, 0.006f, 0.006f, 0.012f));
        return root;
    }
}
