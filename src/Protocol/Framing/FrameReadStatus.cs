namespace SocketAtm.Protocol.Framing;

/// <summary>Outcome of one attempt to take a frame from buffered input.</summary>
public enum FrameReadStatus : byte
{
    /// <summary>The buffer holds no complete frame yet; read more bytes.</summary>
    NeedMoreData,

    /// <summary>A complete frame was taken; its payload may be empty (a keep-alive).</summary>
    Frame,

    /// <summary>The length header declares more than the configured maximum; the stream cannot be trusted further.</summary>
    FrameTooLarge,
}
