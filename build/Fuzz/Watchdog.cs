using System.Diagnostics;

namespace LoraBuild.Fuzz;

/// <summary>
/// Watches the input being run from another thread: past the time limit it saves the input as a hang; past
/// <see cref="AbortAfter"/> it ends the process, since a .NET thread cannot be stopped from outside.
/// </summary>
internal sealed class Watchdog : IDisposable
{
    private static readonly TimeSpan AbortAfter = TimeSpan.FromSeconds(60);

    private readonly TimeSpan _limit;
    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private volatile bool _stopped;
    private long _started = -1;
    private byte[]? _input;
    private string? _hangFolder;
    private bool _saved;

    public Watchdog(TimeSpan limit)
    {
        _limit = limit;
        _thread = new Thread(Watch) { IsBackground = true, Name = "fuzz watchdog" };
        _thread.Start();
    }

    public void Begin(byte[] input, string hangFolder)
    {
        lock (_gate)
        {
            (_input, _hangFolder, _saved, _started) = (input, hangFolder, false, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Ends the current input; true when it ran past the limit.</summary>
    public bool End()
    {
        lock (_gate)
        {
            var overLimit = Stopwatch.GetElapsedTime(_started) > _limit;
            if (overLimit && !_saved)
            {
                Save();
            }

            _started = -1;
            return overLimit;
        }
    }

    private void Watch()
    {
        while (!_stopped)
        {
            Thread.Sleep(100);
            lock (_gate)
            {
                if (_started < 0)
                {
                    continue;
                }

                var elapsed = Stopwatch.GetElapsedTime(_started);
                if (elapsed > _limit && !_saved)
                {
                    Save();
                }

                if (elapsed > AbortAfter)
                {
                    Console.Error.WriteLine($"An input has run for {elapsed.TotalSeconds:F0} s; it is saved under {_hangFolder}. Stopping.");
                    Environment.Exit(3);
                }
            }
        }
    }

    private void Save()
    {
        _saved = true;
        Directory.CreateDirectory(_hangFolder!);
        var file = Path.Combine(_hangFolder!, InputFiles.Name(_input!));
        File.WriteAllBytes(file, _input!);
        Console.Error.WriteLine($"hang: {file}");
    }

    public void Dispose() => _stopped = true;
}
