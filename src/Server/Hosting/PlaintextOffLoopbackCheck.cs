using Microsoft.Extensions.Options;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Hosting;

/// <summary>
/// Off loopback, the listener must serve TLS: plaintext is refused at start (one line) unless the operator set
/// <c>Listener:AllowPlaintext=true</c>, which <see cref="StartupSafetyLog.PlaintextOffLoopback"/> then warns about at
/// every start. On loopback (the demo, local tools) plaintext is fine: nothing leaves the machine.
/// </summary>
internal sealed class PlaintextOffLoopbackCheck(IOptions<ListenerOptions> listener) : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = listener.Value;
        return options.Enabled || address.IsLoopback || address.AllowPlaintext
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Listener:Address {address.Address} is not loopback and Listener:Tls:Enabled is false: terminals would be served in plaintext on the network. Enable TLS (Listener:Tls:Enabled with a certificate), or set Listener:AllowPlaintext=true to accept plaintext (warned at every start).");
    }
}
