namespace Clickscape.Geometry.Scenes;

/// <summary>One semantic class: its id in label arrays, its name and a display colour.</summary>
public sealed record SemanticClass(int Id, string Name, byte R, byte G, byte B);

/// <summary>
/// The classes a scene's semantic label ids refer to. Id 0 is reserved for "unlabelled" in every table
/// (ScanNet's nyu40 convention); tables list only real classes.
/// </summary>
public sealed class ClassTable
{
    private readonly Dictionary<int, SemanticClass> _byId;

    /// <summary>Creates a table; ids must be unique and positive.</summary>
    public ClassTable(string name, IEnumerable<SemanticClass> classes)
    {
        Name = name;
        Classes = classes.ToArray();
        _byId = new Dictionary<int, SemanticClass>();
        foreach (var c in Classes)
        {
            if (c.Id <= 0) throw new ArgumentException($"class table '{name}': class '{c.Name}' has id {c.Id}, expected > 0 (0 is unlabelled)");
            if (!_byId.TryAdd(c.Id, c)) throw new ArgumentException($"class table '{name}': id {c.Id} appears twice");
        }
    }

    /// <summary>Table name, e.g. <c>nyu40</c>.</summary>
    public string Name { get; }

    /// <summary>The classes in table order.</summary>
    public IReadOnlyList<SemanticClass> Classes { get; }

    /// <summary>The class with id <paramref name="id"/>, or null.</summary>
    public SemanticClass? Find(int id) => _byId.GetValueOrDefault(id);

    /// <summary>The class named <paramref name="name"/> (case-insensitive), or null.</summary>
    public SemanticClass? FindByName(string name) =>
        Classes.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="id"/> is a class of this table.</summary>
    public bool Contains(int id) => _byId.ContainsKey(id);
}
