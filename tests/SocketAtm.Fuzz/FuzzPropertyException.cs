namespace SocketAtm.Fuzz;

/// <summary>A property of the frame reader or parser did not hold: the fuzzer records the input as a crash.</summary>
public sealed class FuzzPropertyException : Exception
{
    public FuzzPropertyException()
    {
    }

    public FuzzPropertyException(string message)
        : base(message)
    {
    }

    public FuzzPropertyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
