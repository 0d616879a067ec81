namespace Clickscape.Geometry.Interactive;

/// <summary>
/// The clicks on one object of one scene and the mask they give, with undo and redo: what an annotation tool
/// holds while a person refines a mask (the interactive paper's loop, one click → one new mask).
/// </summary>
/// <remarks>
/// The click-independent work lives in the <see cref="IInteractiveSegmenter"/> (built once per scene and shared
/// by every session on it); a session holds only its clicks, its redo stack and the last mask. Every member
/// takes the session's own lock, so a server may call one session from several requests at once; sessions of
/// different objects run in parallel. Masks returned are copies the caller owns.
/// </remarks>
public sealed class InteractiveSession
{
    private readonly IInteractiveSegmenter _segmenter;
    private readonly List<InteractiveClick> _clicks = [];
    private readonly Stack<InteractiveClick> _redo = new();
    private readonly Lock _lock = new();
    private bool[] _mask;

    /// <summary>Opens a session with no clicks (an empty mask) on <paramref name="segmenter"/>'s scene.</summary>
    public InteractiveSession(IInteractiveSegmenter segmenter, IEnumerable<InteractiveClick>? clicks = null)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        _segmenter = segmenter;
        if (clicks is not null)
        {
            foreach (var c in clicks)
            {
                Check(c);
                _clicks.Add(c);
            }
        }
        _mask = _clicks.Count == 0 ? new bool[segmenter.PointCount] : segmenter.Predict(_clicks);
    }

    /// <summary>The clicks in the order they were made (a snapshot).</summary>
    public IReadOnlyList<InteractiveClick> Clicks
    {
        get
        {
            lock (_lock) return [.. _clicks];
        }
    }

    /// <summary>Whether there is a click to undo.</summary>
    public bool CanUndo
    {
        get
        {
            lock (_lock) return _clicks.Count > 0;
        }
    }

    /// <summary>Whether there is an undone click to redo.</summary>
    public bool CanRedo
    {
        get
        {
            lock (_lock) return _redo.Count > 0;
        }
    }

    /// <summary>The current mask (a copy): empty before the first click.</summary>
    public bool[] Mask
    {
        get
        {
            lock (_lock) return (bool[])_mask.Clone();
        }
    }

    /// <summary>Adds a click (clearing the redo stack) and returns the new mask.</summary>
    public bool[] Add(InteractiveClick click)
    {
        Check(click);
        lock (_lock)
        {
            _clicks.Add(click);
            _redo.Clear();
            return Update();
        }
    }

    /// <summary>Removes the last click (it can be redone) and returns the mask without it; unchanged when there is none.</summary>
    public bool[] Undo()
    {
        lock (_lock)
        {
            if (_clicks.Count == 0) return (bool[])_mask.Clone();
            _redo.Push(_clicks[^1]);
            _clicks.RemoveAt(_clicks.Count - 1);
            return Update();
        }
    }

    /// <summary>Re-applies the last undone click and returns the mask; unchanged when there is none.</summary>
    public bool[] Redo()
    {
        lock (_lock)
        {
            if (_redo.Count == 0) return (bool[])_mask.Clone();
            _clicks.Add(_redo.Pop());
            return Update();
        }
    }

    private bool[] Update()
    {
        _mask = _clicks.Count == 0 ? new bool[_segmenter.PointCount] : _segmenter.Predict(_clicks);
        return (bool[])_mask.Clone();
    }

    private void Check(InteractiveClick click)
    {
        if ((uint)click.Point >= (uint)_segmenter.PointCount)
            throw new ArgumentOutOfRangeException(nameof(click), click.Point, $"click on point {click.Point}, expected 0..{_segmenter.PointCount - 1}");
    }
}
