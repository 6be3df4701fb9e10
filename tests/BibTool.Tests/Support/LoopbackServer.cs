using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BibTool.Tests.Support;

public sealed record RecordedRequest(string Method, string Target, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers, DateTime Arrived)
{
    public string? QueryValue(string name) => Query.GetValueOrDefault(name);
}

/// <summary>What the server answers; it can also misbehave on purpose (delay, truncate, reset).</summary>
public sealed class Reply
{
    public int Status { get; init; } = 200;
    public string Reason { get; init; } = "OK";
    public List<(string Name, string Value)> Headers { get; init; } = [];
    public byte[] Body { get; init; } = [];
    /// <summary>Advertise the whole body's length but send only this many bytes, then close.</summary>
    public int? TruncateAt { get; init; }
    /// <summary>Close the connection with a reset instead of answering.</summary>
    public bool Reset { get; init; }
    public TimeSpan Delay { get; init; }
    /// <summary>Send the body one byte at a time, this long apart (a slow-drip server).</summary>
    public TimeSpan DripEvery { get; init; }

    public static Reply Text(int status, string body, string contentType = "text/plain") =>
        new() { Status = status, Reason = ((HttpStatusCode)status).ToString(), Body = Encoding.UTF8.GetBytes(body), Headers = [("Content-Type", contentType)] };
}

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 (keep-alive, Content-Length framing) for tests and
/// benchmarks: it records every request, the peak number in flight, and can enforce a rate limit.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<RecordedRequest, Task<Reply>> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accepting;
    private int _inFlight;
    private int _maxInFlight;

    public LoopbackServer(Func<RecordedRequest, Task<Reply>> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseUrl = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _accepting = AcceptAsync();
    }

    public LoopbackServer(Func<RecordedRequest, Reply> handler) : this(r => Task.FromResult(handler(r))) { }

    public string BaseUrl { get; }
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new byte[16384];
        var pending = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var head = await ReadHeadAsync(stream, buffer, pending, _stop.Token);
                if (head is null) return;
                var request = Parse(head);
                _requests.Enqueue(request);
                var now = Interlocked.Increment(ref _inFlight);
                int seen;
                while ((seen = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen) { }
                // In flight from arrival until the answer is handed over (or the connection dropped).
                try
                {
                    var reply = await _handler(request);
                    if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, _stop.Token);
                    if (reply.Reset)
                    {
                        client.Client.LingerState = new LingerOption(true, 0);
                        client.Client.Close();
                        return;
                    }
                    var header = new StringBuilder();
                    header.Append($"HTTP/1.1 {reply.Status} {reply.Reason}\r\n");
                    foreach (var (name, value) in reply.Headers) header.Append($"{name}: {value}\r\n");
                    header.Append($"Content-Length: {reply.Body.Length}\r\n");
                    if (reply.TruncateAt is not null) header.Append("Connection: close\r\n");
                    header.Append("\r\n");
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(header.ToString()), _stop.Token);
                    var length = reply.TruncateAt is { } cut ? Math.Min(cut, reply.Body.Length) : reply.Body.Length;
                    if (reply.DripEvery > TimeSpan.Zero)
                        for (var i = 0; i < length; i++)
                        {
                            await stream.WriteAsync(reply.Body.AsMemory(i, 1), _stop.Token);
                            await stream.FlushAsync(_stop.Token);
                            await Task.Delay(reply.DripEvery, _stop.Token);
                        }
                    else await stream.WriteAsync(reply.Body.AsMemory(0, length), _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    if (reply.TruncateAt is not null) return;
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream, byte[] buffer, MemoryStream pending, CancellationToken cancel)
    {
        while (true)
        {
            var data = pending.ToArray();
            var end = IndexOf(data, "\r\n\r\n"u8);
            if (end >= 0)
            {
                pending.SetLength(0);
                pending.Write(data, end + 4, data.Length - end - 4);
                return Encoding.ASCII.GetString(data, 0, end);
            }
            var read = await stream.ReadAsync(buffer, cancel);
            if (read == 0) return null;
            pending.Write(buffer, 0, read);
        }
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> pattern) => data.AsSpan().IndexOf(pattern);

    private static RecordedRequest Parse(string head)
    {
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        var target = parts.Length > 1 ? parts[1] : "/";
        var question = target.IndexOf('?');
        var path = question < 0 ? target : target[..question];
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (question >= 0)
            foreach (var pair in target[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                if (eq > 0) query[Uri.UnescapeDataString(pair[..eq])] = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return new RecordedRequest(parts[0], target, path, query, headers, DateTime.UtcNow);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _accepting; } catch (Exception) { }
        try { await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { }
    }
}
