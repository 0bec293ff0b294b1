using System.Diagnostics;
using System.Text;

namespace LoraBuild.Cli.Tests;

/// <summary>
/// <c>dotnet-lora</c> in a child process, configured by its environment, whose lines can be watched while it runs and
/// which can be killed with SIGKILL (<see cref="Process.Kill()"/> on Linux) or interrupted with SIGINT at a moment the test chooses.
/// </summary>
internal sealed class EngineProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _printed = new();
    private readonly Lock _lock = new();

    private EngineProcess(
        string workingDirectory, IEnumerable<string> arguments, Action<string, EngineProcess>? onLine, IReadOnlyDictionary<string, string?>? environment, string? engine)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(engine ?? Path.Combine(AppContext.BaseDirectory, "dotnet-lora.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) => Received(line.Data, onLine);
        _process.ErrorDataReceived += (_, line) => Received(line.Data, onLine: null);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Whether <see cref="Kill"/> stopped it.</summary>
    public bool Killed { get; private set; }

    public string Printed
    {
        get
        {
            lock (_lock)
            {
                return _printed.ToString();
            }
        }
    }

    /// <param name="environment">Variables to set, or with a null value to remove, on top of the test's own.</param>
    /// <param name="engine">The dotnet-lora.dll to run; the one beside the tests when null.</param>
    public static EngineProcess Start(
        string workingDirectory,
        IEnumerable<string> arguments,
        Action<string, EngineProcess>? onLine = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? engine = null) =>
        new(workingDirectory, arguments, onLine, environment, engine);

    /// <summary>Runs to the end (three minutes at most) and returns the exit code and everything printed.</summary>
    public static (int ExitCode, string Output) Run(
        string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? engine = null)
    {
        using var process = Start(workingDirectory, arguments, onLine: null, environment, engine);
        var exitCode = process.WaitForExit(TimeSpan.FromMinutes(3));
        return (exitCode, process.Printed);
    }

    /// <summary>SIGKILL: no handler, no cleanup, the way a preempted agent or an out-of-memory kill ends a run.</summary>
    public void Kill()
    {
        lock (_lock)
        {
            if (!Killed && !_process.HasExited)
            {
                _process.Kill();
                Killed = true;
            }
        }
    }

    /// <summary>SIGINT, what Ctrl+C in a terminal sends.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet-lora did not finish within {timeout}:\n{Printed}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose() => _process.Dispose();

    private void Received(string? line, Action<string, EngineProcess>? onLine)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _printed.AppendLine(line);
        }

        onLine?.Invoke(line, this);
    }
}
