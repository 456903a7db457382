namespace SocketAtm.Server.Admin;

/// <summary>
/// What an admin command talks to: results on <see cref="Output"/>, prompts, warnings and refusals on
/// <see cref="Error"/>, and the secrets a person types (key components, PINs) from <see cref="Input"/>. Tests give
/// writers and a reader of their own.
/// </summary>
internal sealed record AdminConsole(TextWriter Output, TextWriter Error, SecretInput Input);
