using System.Diagnostics.Metrics;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Operations.Console;

/// <summary>
/// The browsers watching the console, at most <see cref="ConsoleOptions.MaxViewers"/>. Each frame is built once and
/// offered to every viewer; one that cannot take it is dropped there and then, so publishing never waits for a browser.
/// </summary>
internal sealed class ConsoleViewers
{
    private readonly ConsoleOptions _options;
    private readonly Lock _lock = new();
    private readonly List<ConsoleViewer> _viewers = [];
    private readonly Counter<long> _droppedViewers;

    public ConsoleViewers(ConsoleOptions options, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _options = options;
        var meter = meterFactory.Create(AtmMetrics.MeterName);
        meter.CreateObservableGauge("socketatm.operations.console.viewers", () => Count, "{viewer}", "Browsers watching the operations console now.");
        _droppedViewers = meter.CreateCounter<long>(
            "socketatm.operations.console.viewers.dropped", "{viewer}", "Console viewers dropped for falling behind (a stalled or slow browser).");
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _viewers.Count;
            }
        }
    }

    /// <summary>A new viewer, or null when <see cref="ConsoleOptions.MaxViewers"/> watch already.</summary>
    public ConsoleViewer? TryJoin()
    {
        lock (_lock)
        {
            if (_viewers.Count >= _options.MaxViewers)
            {
                return null;
            }

            var viewer = new ConsoleViewer(_options.ViewerBuffer);
            _viewers.Add(viewer);
            return viewer;
        }
    }

    public void Leave(ConsoleViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        lock (_lock)
        {
            _viewers.Remove(viewer);
        }

        viewer.Drop();
    }

    /// <summary>Offers <paramref name="frame"/> to every viewer; those too far behind are dropped.</summary>
    public void Publish(ReadOnlyMemory<byte> frame)
    {
        lock (_lock)
        {
            for (var index = _viewers.Count - 1; index >= 0; index--)
            {
                if (!_viewers[index].Offer(frame))
                {
                    _viewers.RemoveAt(index);
                    _droppedViewers.Add(1);
                }
            }
        }
    }
}
