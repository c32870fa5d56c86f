namespace Tollgate.Gateway.Upstreams;

/// <summary>
/// One server-sent event as it came from the upstream: its raw bytes (relayed byte for byte), its <c>event:</c> name
/// and its <c>data:</c> lines joined. <see cref="Raw"/> and <see cref="Data"/> are the reader's buffers: they hold
/// this event until the next read.
/// </summary>
public readonly record struct SseEvent(ReadOnlyMemory<byte> Raw, string? Name, ReadOnlyMemory<byte> Data);
