using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Hosting;

/// <summary>
/// Owns the ledger's lifetime. Starts first: opens the ledger <c>Storage:Provider</c> names — LiteDB (recovery and the
/// invariant check happen there) or PostgreSQL (schema migration, seeding and the invariant check), refuses a ledger
/// that must not be served from this listener (<see cref="StartupSafety"/>: demo data off loopback) — and loads the PIN
/// verification key before the listener accepts anyone. Stops last: after the listener has
/// drained, it closes the ledger cleanly. A storage failure at any time stops the host.
/// </summary>
internal sealed class LedgerStartup : IHostedService
{
    private readonly LedgerOptions _options;
    private readonly StorageOptions _storage;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IMeterFactory _meterFactory;
    private readonly ILoggerFactory _loggerFactory;
    private readonly PinVerifier _pins;
    private readonly IDurableStreamFactory? _streams;
    private readonly StartupSafety? _safety;
    private ILedger? _ledger;
    private volatile bool _serving;

    public LedgerStartup(
        IOptions<LedgerOptions> options,
        IOptions<StorageOptions> storage,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        IMeterFactory meterFactory,
        ILoggerFactory loggerFactory,
        PinVerifier pins,
        IDurableStreamFactory? streams = null,
        StartupSafety? safety = null)
    {
        _streams = streams;
        _safety = safety;
        _options = options.Value;
        _storage = storage.Value;
        _time = time;
        _lifetime = lifetime;
        _meterFactory = meterFactory;
        _loggerFactory = loggerFactory;
        _pins = pins;
    }

    /// <summary>The open ledger; available once this service has started.</summary>
    public ILedger Ledger => _ledger ?? throw new InvalidOperationException("The ledger is not open yet.");

    /// <summary>
    /// True once the ledger is open, its start-up checks (recovery, invariants, <see cref="StartupSafety"/>) passed and
    /// its PIN verification key is loaded; false again after a storage failure or once the host stops (<c>/readyz</c>).
    /// </summary>
    public bool IsServing => _serving;

    /// <summary>The open ledger's administration; both implementations provide it.</summary>
    public ILedgerAdmin Admin => (ILedgerAdmin)Ledger;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ledger = await LedgerFactory.OpenAsync(_options, _storage, _time, OnStorageFailure, _meterFactory, _loggerFactory, _streams, cancellationToken);
        if (_safety is not null)
        {
            try
            {
                await _safety.CheckAsync(Admin, cancellationToken);
            }
            catch
            {
                // Refused: close the ledger now, so its files are free again (a host in the same process may try again).
                await _ledger.DisposeAsync();
                _ledger = null;
                throw;
            }
        }

        _pins.Load(await _ledger.GetPinVerificationKeyAsync(cancellationToken));
        _serving = true;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _serving = false;
        if (_ledger is not null)
        {
            await _ledger.DisposeAsync();
        }
    }

    private void OnStorageFailure(Exception exception)
    {
        // Never serve from a broken engine: terminals will time out and reverse what they did not see approved.
        _serving = false;
        Log.StorageFailed(_loggerFactory.CreateLogger<LedgerStartup>(), exception);
        Environment.ExitCode = 1;
        _lifetime.StopApplication();
    }
}
