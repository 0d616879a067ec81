using System.Globalization;
using Clickscape.Geometry.Interactive;
using Clickscape.Studio.Api;
using Microsoft.Data.Sqlite;

namespace Clickscape.Studio.Storage;

/// <summary>One annotated object: its click, class, time spent, refine clicks and (once accepted) its mask.</summary>
/// <param name="Object">Instance id within the scene (1, 2, …; never reused after a delete).</param>
/// <param name="Label">Class id (NYU40).</param>
/// <param name="Point">The clicked point.</param>
/// <param name="Xyz">Its coordinates.</param>
/// <param name="Seconds">Time the annotator spent on the object before clicking it.</param>
/// <param name="Created">UTC time of the click, ISO 8601.</param>
/// <param name="Mask">The accepted mask (<see cref="MaskBits"/>), or null while the object is only clicked.</param>
/// <param name="RefineClicks">Refine clicks in order.</param>
/// <param name="RedoClicks">Undone refine clicks, the next one to redo last.</param>
/// <param name="Prior">For an object taken over from a prediction in review mode, the predicted mask (<see cref="MaskBits"/>)
/// its refine clicks edit; null for an object a person clicked.</param>
/// <param name="Origin">For a reviewed object, <c>SOURCE#INSTANCE</c> (the prediction set and the instance's line); else null.</param>
public sealed record StoredObject(int Object, int Label, int Point, float[] Xyz, double Seconds, string Created, byte[]? Mask,
    IReadOnlyList<InteractiveClick> RefineClicks, IReadOnlyList<InteractiveClick> RedoClicks, byte[]? Prior = null, string? Origin = null)
{
    /// <summary>Whether a refined mask was accepted.</summary>
    public bool Accepted => Mask is not null;
}

/// <summary>The annotation state of one scene.</summary>
/// <param name="Version">Incremented by every change; a change must name the version it was made on.</param>
/// <param name="Seconds">Total time spent on the scene.</param>
/// <param name="Labelled">Fraction of the points labelled by the objects (as of the last change).</param>
public sealed record StoredScene(string Scene, int Version, double Seconds, double Labelled, IReadOnlyList<StoredObject> Objects);

/// <summary>What review mode decided about one predicted instance.</summary>
/// <param name="Instance">The instance's index in its prediction summary (line − 1).</param>
/// <param name="Decision"><c>accepted</c>, <c>relabelled</c>, <c>fixed</c> (taken over as <paramref name="Object"/>) or <c>deleted</c>.</param>
/// <param name="Object">The annotation object it became, or null for a deleted one.</param>
public sealed record ReviewDecision(int Instance, string Decision, int? Object);

/// <summary>Per-scene totals for the scene list.</summary>
public sealed record SceneSummary(int Version, int Objects, int Accepted, double Labelled, double Seconds, int? Points);

/// <summary>
/// The durable annotation store: one SQLite database in WAL mode (synchronous = FULL) under the state folder.
/// Every change is one transaction, committed before the request answers, so a reload, a killed server or a
/// power cut loses nothing that was acknowledged. Every change names the scene version it was made on and fails
/// with 409 when the scene has changed since (two tabs never overwrite each other blindly).
/// </summary>
public sealed class AnnotationStore
{
    private readonly string _connectionString;

    /// <summary>Opens (creating when needed) the database in <paramref name="folder"/>.</summary>
    public AnnotationStore(string folder)
    {
        Directory.CreateDirectory(folder);
        DatabasePath = Path.Combine(folder, "annotations.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 10,
        }.ToString();
        using var c = Open();
        Exec(c, null, "PRAGMA journal_mode=WAL;");
        Exec(c, null, """
            CREATE TABLE IF NOT EXISTS scenes(
                id TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 0, seconds REAL NOT NULL DEFAULT 0,
                next_object INTEGER NOT NULL DEFAULT 1, labelled REAL NOT NULL DEFAULT 0, points INTEGER);
            CREATE TABLE IF NOT EXISTS objects(
                scene TEXT NOT NULL, object INTEGER NOT NULL, label INTEGER NOT NULL, point INTEGER NOT NULL,
                x REAL NOT NULL, y REAL NOT NULL, z REAL NOT NULL, seconds REAL NOT NULL, created TEXT NOT NULL,
                mask BLOB, prior BLOB, origin TEXT, PRIMARY KEY(scene, object));
            CREATE TABLE IF NOT EXISTS refine_clicks(
                scene TEXT NOT NULL, object INTEGER NOT NULL, ord INTEGER NOT NULL, point INTEGER NOT NULL,
                positive INTEGER NOT NULL, redo INTEGER NOT NULL, PRIMARY KEY(scene, object, redo, ord));
            CREATE TABLE IF NOT EXISTS review(
                scene TEXT NOT NULL, source TEXT NOT NULL, instance INTEGER NOT NULL, decision TEXT NOT NULL, object INTEGER,
                PRIMARY KEY(scene, source, instance));
            """);
        // databases of the first version lack the review columns
        var columns = new HashSet<string>(StringComparer.Ordinal);
        using (var cmd = Command(c, null, "PRAGMA table_info(objects)"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) columns.Add(r.GetString(1));
        }
        if (!columns.Contains("prior")) Exec(c, null, "ALTER TABLE objects ADD COLUMN prior BLOB");
        if (!columns.Contains("origin")) Exec(c, null, "ALTER TABLE objects ADD COLUMN origin TEXT");
    }

    /// <summary>
    /// Largest database size in pages (SQLite's <c>max_page_count</c>), or null for none: a write that needs more pages
    /// fails with SQLITE_FULL exactly as on a full disk. Lets the tests exercise the disk-full path.
    /// </summary>
    internal long? PageLimit { get; set; }

    /// <summary>The database size in pages now.</summary>
    internal long PageCount()
    {
        using var c = Open();
        return Convert.ToInt64(Scalar(c, null, "PRAGMA page_count;"), CultureInfo.InvariantCulture);
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The journal mode the database runs in (<c>wal</c>).</summary>
    public string JournalMode()
    {
        using var c = Open();
        return Convert.ToString(Scalar(c, null, "PRAGMA journal_mode;"), CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>The state of <paramref name="scene"/> (version 0 and no objects when never touched).</summary>
    public StoredScene Get(string scene)
    {
        using var c = Open();
        int version = 0;
        double seconds = 0, labelled = 0;
        using (var cmd = Command(c, null, "SELECT version, seconds, labelled FROM scenes WHERE id = $s", ("$s", scene)))
        using (var r = cmd.ExecuteReader())
        {
            if (r.Read())
            {
                version = r.GetInt32(0);
                seconds = r.GetDouble(1);
                labelled = r.GetDouble(2);
            }
        }
        var clicks = new Dictionary<(int Object, bool Redo), List<InteractiveClick>>();
        using (var cmd = Command(c, null, "SELECT object, redo, point, positive FROM refine_clicks WHERE scene = $s ORDER BY object, redo, ord", ("$s", scene)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var key = (r.GetInt32(0), r.GetInt32(1) != 0);
                if (!clicks.TryGetValue(key, out var list)) clicks[key] = list = [];
                list.Add(new InteractiveClick(r.GetInt32(2), r.GetInt32(3) != 0));
            }
        }
        var objects = new List<StoredObject>();
        using (var cmd = Command(c, null, "SELECT object, label, point, x, y, z, seconds, created, mask, prior, origin FROM objects WHERE scene = $s ORDER BY object", ("$s", scene)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                int id = r.GetInt32(0);
                objects.Add(new StoredObject(id, r.GetInt32(1), r.GetInt32(2), [r.GetFloat(3), r.GetFloat(4), r.GetFloat(5)], r.GetDouble(6),
                    r.GetString(7), r.IsDBNull(8) ? null : (byte[])r[8],
                    clicks.GetValueOrDefault((id, false)) ?? [], clicks.GetValueOrDefault((id, true)) ?? [],
                    r.IsDBNull(9) ? null : (byte[])r[9], r.IsDBNull(10) ? null : r.GetString(10)));
            }
        }
        return new StoredScene(scene, version, seconds, labelled, objects);
    }

    /// <summary>Totals of every scene touched so far.</summary>
    public Dictionary<string, SceneSummary> Summaries()
    {
        using var c = Open();
        var result = new Dictionary<string, SceneSummary>(StringComparer.Ordinal);
        using var cmd = Command(c, null, """
            SELECT s.id, s.version, s.labelled, s.seconds, s.points,
                   (SELECT COUNT(*) FROM objects o WHERE o.scene = s.id),
                   (SELECT COUNT(*) FROM objects o WHERE o.scene = s.id AND o.mask IS NOT NULL)
            FROM scenes s
            """);
        using var r = cmd.ExecuteReader();
        while (r.Read())
            result[r.GetString(0)] = new SceneSummary(r.GetInt32(1), r.GetInt32(5), r.GetInt32(6), r.GetDouble(2), r.GetDouble(3), r.IsDBNull(4) ? null : r.GetInt32(4));
        return result;
    }

    /// <summary>Remembers the point count of a scene (for the scene list, without loading it again).</summary>
    public void SetPoints(string scene, int points)
    {
        using var c = Open();
        using var t = c.BeginTransaction();
        EnsureScene(c, t, scene);
        Exec(c, t, "UPDATE scenes SET points = $p WHERE id = $s", ("$s", scene), ("$p", points));
        t.Commit();
    }

    /// <summary>Records the fraction of points the scene's objects label (no version change: derived data).</summary>
    public void SetLabelled(string scene, double fraction)
    {
        using var c = Open();
        Exec(c, null, "UPDATE scenes SET labelled = $f WHERE id = $s", ("$s", scene), ("$f", fraction));
    }

    /// <summary>Adds annotation time to the scene (commutative, so no version check).</summary>
    public double AddSeconds(string scene, double seconds)
    {
        using var c = Open();
        using var t = c.BeginTransaction();
        EnsureScene(c, t, scene);
        Exec(c, t, "UPDATE scenes SET seconds = seconds + $d WHERE id = $s", ("$s", scene), ("$d", seconds));
        var total = Convert.ToDouble(Scalar(c, t, "SELECT seconds FROM scenes WHERE id = $s", ("$s", scene)), CultureInfo.InvariantCulture);
        t.Commit();
        return total;
    }

    /// <summary>Adds an object clicked at <paramref name="point"/>; returns the new version and the object id.</summary>
    public (int Version, int Object) AddObject(string scene, int expectedVersion, int label, int point, float[] xyz, double seconds)
    {
        int id = 0;
        int version = Mutate(scene, expectedVersion, (c, t) =>
        {
            id = Convert.ToInt32(Scalar(c, t, "SELECT next_object FROM scenes WHERE id = $s", ("$s", scene)), CultureInfo.InvariantCulture);
            Exec(c, t, "UPDATE scenes SET next_object = next_object + 1 WHERE id = $s", ("$s", scene));
            Exec(c, t, "INSERT INTO objects(scene, object, label, point, x, y, z, seconds, created) VALUES ($s, $o, $l, $p, $x, $y, $z, $d, $c)",
                ("$s", scene), ("$o", id), ("$l", label), ("$p", point), ("$x", xyz[0]), ("$y", xyz[1]), ("$z", xyz[2]), ("$d", seconds),
                ("$c", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
        });
        return (version, id);
    }

    /// <summary>Deletes an object with its refine clicks and mask (a reviewed one counts as a deleted prediction).</summary>
    public int DeleteObject(string scene, int expectedVersion, int obj) => Mutate(scene, expectedVersion, (c, t) =>
    {
        RequireObject(c, t, scene, obj);
        Exec(c, t, "DELETE FROM objects WHERE scene = $s AND object = $o", ("$s", scene), ("$o", obj));
        Exec(c, t, "DELETE FROM refine_clicks WHERE scene = $s AND object = $o", ("$s", scene), ("$o", obj));
        Exec(c, t, "UPDATE review SET decision = 'deleted', object = NULL WHERE scene = $s AND object = $o", ("$s", scene), ("$o", obj));
    });

    /// <summary>
    /// Takes predicted instance <paramref name="instance"/> of prediction set <paramref name="source"/> over as a new
    /// object: class <paramref name="label"/>, anchor <paramref name="point"/> (a point of the mask), the predicted
    /// <paramref name="mask"/> as its accepted label and as the prior its refine clicks edit. 409 when the instance was
    /// decided already.
    /// </summary>
    public (int Version, int Object) AddReviewed(string scene, int expectedVersion, string source, int instance, string decision,
        int label, int point, float[] xyz, byte[] mask)
    {
        ArgumentNullException.ThrowIfNull(xyz);
        int id = 0;
        int version = Mutate(scene, expectedVersion, (c, t) =>
        {
            RequireUndecided(c, t, scene, source, instance);
            id = Convert.ToInt32(Scalar(c, t, "SELECT next_object FROM scenes WHERE id = $s", ("$s", scene)), CultureInfo.InvariantCulture);
            Exec(c, t, "UPDATE scenes SET next_object = next_object + 1 WHERE id = $s", ("$s", scene));
            Exec(c, t, "INSERT INTO objects(scene, object, label, point, x, y, z, seconds, created, mask, prior, origin) VALUES ($s, $o, $l, $p, $x, $y, $z, 0, $c, $m, $m, $g)",
                ("$s", scene), ("$o", id), ("$l", label), ("$p", point), ("$x", xyz[0]), ("$y", xyz[1]), ("$z", xyz[2]),
                ("$c", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)), ("$m", mask),
                ("$g", string.Create(CultureInfo.InvariantCulture, $"{source}#{instance}")));
            Exec(c, t, "INSERT INTO review(scene, source, instance, decision, object) VALUES ($s, $g, $i, $d, $o)",
                ("$s", scene), ("$g", source), ("$i", instance), ("$d", decision), ("$o", id));
        });
        return (version, id);
    }

    /// <summary>Records that predicted instance <paramref name="instance"/> of <paramref name="source"/> is wrong (deleted in review).</summary>
    public int RejectPrediction(string scene, int expectedVersion, string source, int instance) => Mutate(scene, expectedVersion, (c, t) =>
    {
        RequireUndecided(c, t, scene, source, instance);
        Exec(c, t, "INSERT INTO review(scene, source, instance, decision, object) VALUES ($s, $g, $i, 'deleted', NULL)",
            ("$s", scene), ("$g", source), ("$i", instance));
    });

    /// <summary>The review decisions on <paramref name="scene"/>'s predictions from <paramref name="source"/>, by instance.</summary>
    public Dictionary<int, ReviewDecision> ReviewDecisions(string scene, string source)
    {
        using var c = Open();
        var result = new Dictionary<int, ReviewDecision>();
        using var cmd = Command(c, null, "SELECT instance, decision, object FROM review WHERE scene = $s AND source = $g", ("$s", scene), ("$g", source));
        using var r = cmd.ExecuteReader();
        while (r.Read()) result[r.GetInt32(0)] = new ReviewDecision(r.GetInt32(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt32(2));
        return result;
    }

    private static void RequireUndecided(SqliteConnection c, SqliteTransaction t, string scene, string source, int instance)
    {
        if (Scalar(c, t, "SELECT decision FROM review WHERE scene = $s AND source = $g AND instance = $i", ("$s", scene), ("$g", source), ("$i", instance)) is string d)
            throw new ApiException(409, string.Create(CultureInfo.InvariantCulture, $"predicted instance {instance} of '{source}' on scene '{scene}' was {d} already"));
    }

    /// <summary>Changes the class of an object.</summary>
    public int Relabel(string scene, int expectedVersion, int obj, int label) => Mutate(scene, expectedVersion, (c, t) =>
    {
        RequireObject(c, t, scene, obj);
        Exec(c, t, "UPDATE objects SET label = $l WHERE scene = $s AND object = $o", ("$s", scene), ("$o", obj), ("$l", label));
    });

    /// <summary>Appends a refine click (and forgets the undone ones, as a new click does).</summary>
    public int AddRefineClick(string scene, int expectedVersion, int obj, InteractiveClick click) => Mutate(scene, expectedVersion, (c, t) =>
    {
        RequireObject(c, t, scene, obj);
        Exec(c, t, "DELETE FROM refine_clicks WHERE scene = $s AND object = $o AND redo = 1", ("$s", scene), ("$o", obj));
        Push(c, t, scene, obj, redo: false, click);
    });

    /// <summary>Moves the last refine click to the redo stack; false (and no change) when there is none.</summary>
    public (int Version, bool Changed) UndoRefine(string scene, int expectedVersion, int obj)
    {
        bool changed = false;
        int version = Mutate(scene, expectedVersion, (c, t) =>
        {
            RequireObject(c, t, scene, obj);
            if (Pop(c, t, scene, obj, redo: false) is { } click)
            {
                Push(c, t, scene, obj, redo: true, click);
                changed = true;
            }
        });
        return (version, changed);
    }

    /// <summary>Moves the last undone click back; false (and no change) when there is none.</summary>
    public (int Version, bool Changed) RedoRefine(string scene, int expectedVersion, int obj)
    {
        bool changed = false;
        int version = Mutate(scene, expectedVersion, (c, t) =>
        {
            RequireObject(c, t, scene, obj);
            if (Pop(c, t, scene, obj, redo: true) is { } click)
            {
                Push(c, t, scene, obj, redo: false, click);
                changed = true;
            }
        });
        return (version, changed);
    }

    /// <summary>Stores <paramref name="mask"/> (<see cref="MaskBits"/>) as the object's label (a reviewed object with refine clicks becomes <c>fixed</c>).</summary>
    public int Accept(string scene, int expectedVersion, int obj, byte[] mask) => Mutate(scene, expectedVersion, (c, t) =>
    {
        RequireObject(c, t, scene, obj);
        Exec(c, t, "UPDATE objects SET mask = $m WHERE scene = $s AND object = $o", ("$s", scene), ("$o", obj), ("$m", mask));
        Exec(c, t, "UPDATE review SET decision = 'fixed' WHERE scene = $s AND object = $o AND EXISTS (SELECT 1 FROM refine_clicks k WHERE k.scene = $s AND k.object = $o AND k.redo = 0)",
            ("$s", scene), ("$o", obj));
    });

    private int Mutate(string scene, int expectedVersion, Action<SqliteConnection, SqliteTransaction> change)
    {
        using var c = Open();
        using var t = c.BeginTransaction(); // BEGIN IMMEDIATE: one writer at a time, the version read below cannot go stale
        EnsureScene(c, t, scene);
        int version = Convert.ToInt32(Scalar(c, t, "SELECT version FROM scenes WHERE id = $s", ("$s", scene)), CultureInfo.InvariantCulture);
        if (version != expectedVersion)
            throw new ApiException(409, $"scene '{scene}' was changed elsewhere (version {version}, this change was made on version {expectedVersion}); reload it and repeat the change", version);
        change(c, t);
        Exec(c, t, "UPDATE scenes SET version = $v WHERE id = $s", ("$s", scene), ("$v", version + 1));
        t.Commit();
        return version + 1;
    }

    private static void RequireObject(SqliteConnection c, SqliteTransaction t, string scene, int obj)
    {
        if (Scalar(c, t, "SELECT 1 FROM objects WHERE scene = $s AND object = $o", ("$s", scene), ("$o", obj)) is null)
            throw new ApiException(404, $"scene '{scene}' has no object {obj}");
    }

    private static void Push(SqliteConnection c, SqliteTransaction t, string scene, int obj, bool redo, InteractiveClick click)
    {
        var next = Scalar(c, t, "SELECT COALESCE(MAX(ord) + 1, 0) FROM refine_clicks WHERE scene = $s AND object = $o AND redo = $r",
            ("$s", scene), ("$o", obj), ("$r", redo ? 1 : 0));
        Exec(c, t, "INSERT INTO refine_clicks(scene, object, ord, point, positive, redo) VALUES ($s, $o, $n, $p, $q, $r)",
            ("$s", scene), ("$o", obj), ("$n", next), ("$p", click.Point), ("$q", click.Positive ? 1 : 0), ("$r", redo ? 1 : 0));
    }

    private static InteractiveClick? Pop(SqliteConnection c, SqliteTransaction t, string scene, int obj, bool redo)
    {
        InteractiveClick? click = null;
        long ord = -1;
        using (var cmd = Command(c, t, "SELECT ord, point, positive FROM refine_clicks WHERE scene = $s AND object = $o AND redo = $r ORDER BY ord DESC LIMIT 1",
            ("$s", scene), ("$o", obj), ("$r", redo ? 1 : 0)))
        using (var r = cmd.ExecuteReader())
        {
            if (r.Read())
            {
                ord = r.GetInt64(0);
                click = new InteractiveClick(r.GetInt32(1), r.GetInt32(2) != 0);
            }
        }
        if (click is not null)
        {
            Exec(c, t, "DELETE FROM refine_clicks WHERE scene = $s AND object = $o AND redo = $r AND ord = $n",
                ("$s", scene), ("$o", obj), ("$r", redo ? 1 : 0), ("$n", ord));
        }
        return click;
    }

    private static void EnsureScene(SqliteConnection c, SqliteTransaction? t, string scene) =>
        Exec(c, t, "INSERT OR IGNORE INTO scenes(id) VALUES ($s)", ("$s", scene));

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        Exec(c, null, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
        // pooled connections keep their pragmas, so the limit is set (or lifted) on every open
        Exec(c, null, string.Create(CultureInfo.InvariantCulture, $"PRAGMA max_page_count={PageLimit ?? 1073741823};"));
        return c;
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? t, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = t;
#pragma warning disable CA2100 // every statement is a constant of this class; values go in as parameters
        cmd.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    private static void Exec(SqliteConnection c, SqliteTransaction? t, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(c, t, sql, parameters);
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection c, SqliteTransaction? t, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(c, t, sql, parameters);
        return cmd.ExecuteScalar();
    }
}
