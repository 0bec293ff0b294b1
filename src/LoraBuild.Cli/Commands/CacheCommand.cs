using System.CommandLine;
using LoraBuild.Core.Cache;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// <c>dotnet lora cache restore|push</c>: the training cache on a NuGet feed, one adapter at a time. The build runs these
/// (out of process, as it runs training) around each training; <c>train --cache-mode</c> does the same for one spec.
/// </summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var command = new Command("cache", "Restore trained adapters from, or push them to, a NuGet feed used as a training cache.");
        command.Subcommands.Add(Restore());
        command.Subcommands.Add(Push());
        return command;
    }

    private static Command Restore()
    {
        var common = new CommonOptions();
        var fingerprint = new Option<string>("--fingerprint") { Description = "The adapter's fingerprint (64 hex digits), as lorabuild.json records it.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The adapter folder to restore.", Required = true };
        var command = new Command("restore", "Restore an adapter folder from the cache entry of its fingerprint. Exit code 0: restored; 3: not in the cache; 4: entry corrupt (warning); 5: feed unreachable (warning).")
        {
            fingerprint,
            output,
        };
        common.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            var (session, reporter) = common.Session(parse, parse.GetValue(output)!, TrainingCacheMode.Read);
            return Task.FromResult(CommandRunner.Run(() => (int)session.TryRestore(parse.GetValue(fingerprint)!, cancellation), reporter.Error));
        });
        return command;
    }

    private static Command Push()
    {
        var common = new CommonOptions();
        var input = new Option<string>("--input", "-i") { Description = "The trained adapter folder to push.", Required = true };
        var replace = new Option<bool>("--replace") { Description = "Delete the feed's entry of the same fingerprint first (it was found corrupt)." };
        var command = new Command("push", $"Pack a trained adapter folder as a cache entry and push it (an entry already there is kept). API key: {CacheFeed.ApiKeyVariable}, else nuget.config's apikeys. Exit code 5: the push failed (warning).")
        {
            input,
            replace,
        };
        common.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            var (session, reporter) = common.Session(parse, parse.GetValue(input)!, TrainingCacheMode.ReadWrite);
            return Task.FromResult(CommandRunner.Run(() => session.Push(parse.GetValue(replace), cancellation) ? 0 : 5, reporter.Error));
        });
        return command;
    }

    private sealed class CommonOptions
    {
        private readonly Option<string> _source = new("--source", "-s") { Description = "A source name from nuget.config, a feed URL, or a folder.", Required = true };
        private readonly Option<string> _name = new("--name") { Description = "The adapter's name (the package id is LoraBuild.Cache.<name>).", Required = true };
        private readonly Option<bool> _required = new("--required") { Description = "An unreachable feed (or a refused push) is an error, not a warning." };
        private readonly Option<string> _logFormat = new("--log-format") { Description = "console, or msbuild (warnings and errors as file(line,col): warning LORAnnnn: message).", DefaultValueFactory = _ => "console" };
        private readonly Option<string?> _sourceLocation = new("--source-location") { Description = "Where the adapter was declared; warnings point there." };

        public CommonOptions() => _logFormat.AcceptOnlyFromAmong("console", "msbuild");

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _source, _name, _required, _logFormat, _sourceLocation })
            {
                command.Options.Add(option);
            }
        }

        public (CacheSession Session, CacheReporter Reporter) Session(ParseResult parse, string folder, TrainingCacheMode mode)
        {
            var reporter = new CacheReporter(parse.GetValue(_logFormat) == "msbuild", parse.GetValue(_sourceLocation));
            var settings = new TrainingCacheSettings(parse.GetValue(_source)!, mode, parse.GetValue(_required));
            return (new CacheSession(settings, parse.GetValue(_name)!, Path.GetFullPath(folder), reporter, Directory.GetCurrentDirectory()), reporter);
        }
    }
}
