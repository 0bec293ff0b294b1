using System.Text.RegularExpressions;
using System.Xml.Linq;
using LoraBuild.Core.Cache;
using LoraBuild.Tasks.Tests.Packaging;
using YamlDotNet.RepresentationModel;

namespace LoraBuild.Tasks.Tests;

/// <summary>
/// The CI recipes of docs/ci.md (docs/ci/*.yml) parse, have the shape the doc promises (a matrix of adapter projects,
/// the SDK, the package and model caches, read-only cache use for pull requests and readwrite for main), and use only
/// MSBuild properties, environment variables, and dotnet-lora commands and options that exist in this repository, so a
/// rename cannot leave them stale unnoticed. They are not run: that takes GitHub and Azure DevOps.
/// </summary>
public sealed partial class CiRecipeTests
{
    private const string GitHubRecipe = "github-actions.yml";
    private const string AzureRecipe = "azure-pipelines.yml";

    /// <summary>The outcome on each kind of run: which build steps' conditions hold, and the cache mode they use.</summary>
    private static readonly (string Run, Dictionary<string, string> Context, TrainingCacheMode Mode)[] GitHubRuns =
    [
        ("pull request", new() { ["github.event_name"] = "pull_request", ["github.ref"] = "refs/pull/7/merge" }, TrainingCacheMode.Read),
        ("push to main", new() { ["github.event_name"] = "push", ["github.ref"] = "refs/heads/main" }, TrainingCacheMode.ReadWrite),
    ];

    private static readonly (string Run, Dictionary<string, string> Context, TrainingCacheMode Mode)[] AzureRuns =
    [
        ("pull request", new() { ["Build.Reason"] = "PullRequest", ["Build.SourceBranch"] = "refs/pull/7/merge" }, TrainingCacheMode.Read),
        ("push to main", new() { ["Build.Reason"] = "IndividualCI", ["Build.SourceBranch"] = "refs/heads/main" }, TrainingCacheMode.ReadWrite),
        ("batched push to main", new() { ["Build.Reason"] = "BatchedCI", ["Build.SourceBranch"] = "refs/heads/main" }, TrainingCacheMode.ReadWrite),
        ("manual run of a branch", new() { ["Build.Reason"] = "Manual", ["Build.SourceBranch"] = "refs/heads/feature" }, TrainingCacheMode.Read),
    ];

    private static readonly Dictionary<string, HelpText> HelpCache = [];

    /// <summary>The keys whose values are shell commands: GitHub's <c>run</c>, Azure's <c>script</c> and <c>bash</c>.</summary>
    private static readonly string[] CommandKeys = ["run", "script", "bash"];

    /// <summary>The folders of src/LoraBuild.Tasks with the Sdk's props and targets.</summary>
    private static readonly string[] SdkFolders = ["build", "buildTransitive"];

    [Fact]
    public void GitHubWorkflowTrainsAMatrixOnMainAndOnlyReadsTheCacheForPullRequests()
    {
        var root = Load(GitHubRecipe);
        var on = Map(root, "on");
        Assert.True(on.Children.ContainsKey("push"), "on: push");
        Assert.True(on.Children.ContainsKey("pull_request"), "on: pull_request");

        var jobs = Map(root, "jobs");
        var (matrixJobName, matrixJob) = Assert.Single(jobs.Children, job => Map((YamlMappingNode)job.Value, "strategy", "matrix").Children.ContainsKey("project"));
        var projects = Seq(Map((YamlMappingNode)matrixJob, "strategy", "matrix"), "project").Select(Text).ToList();
        AssertAdapterProjects(projects);

        var steps = Steps((YamlMappingNode)matrixJob);
        var setup = Assert.Single(steps, step => Uses(step).StartsWith("actions/setup-dotnet@", StringComparison.Ordinal));
        Assert.Equal("10.0.x", Text(Map(setup, "with"), "dotnet-version"));
        var cachedPaths = steps.Where(step => Uses(step).StartsWith("actions/cache@", StringComparison.Ordinal)).ToDictionary(step => Text(Map(step, "with"), "path"), step => Text(Map(step, "with"), "key"));
        Assert.Contains("Directory.Packages.props", cachedPaths["~/.nuget/packages"], StringComparison.Ordinal);
        Assert.Contains("~/.cache/huggingface/hub", cachedPaths.Keys);
        Assert.Contains(steps, step => Run(step).Contains("dotnet tool restore", StringComparison.Ordinal));

        var builds = steps.Where(step => Run(step).Contains("dotnet build", StringComparison.Ordinal)).ToList();
        Assert.True(builds.Count >= 2, "a build step for pull requests and one for pushes");
        foreach (var (run, context, mode) in GitHubRuns)
        {
            var active = Assert.Single(builds, step => GitHubExpression.IsTrue(Text(step, "if"), context));
            Assert.True(mode == CacheSettings(Run(active)).Mode, $"{run}: the build step '{Text(active, "name")}' should use LoraCacheMode {mode}");
        }

        Assert.Contains(steps, step => Run(step).Contains("dotnet pack", StringComparison.Ordinal));
        Assert.Contains(steps, step => Uses(step).StartsWith("actions/upload-artifact@", StringComparison.Ordinal));

        var consumer = Assert.Single(jobs.Children.Values.OfType<YamlMappingNode>(), job => job.Children.TryGetValue("needs", out var needs) && Names(needs).Contains(Text(matrixJobName)));
        var consumerSteps = Steps(consumer);
        Assert.Contains(consumerSteps, step => Uses(step).StartsWith("actions/download-artifact@", StringComparison.Ordinal));
        Assert.Contains(consumerSteps, step => Run(step).Contains("dotnet test", StringComparison.Ordinal));
    }

    [Fact]
    public void AzurePipelineTrainsAMatrixOnMainAndOnlyReadsTheCacheForPullRequests()
    {
        var root = Load(AzureRecipe);
        Assert.True(root.Children.ContainsKey("trigger"), "trigger");
        Assert.True(root.Children.ContainsKey("pr"), "pr");
        var variables = Map(root, "variables");
        Assert.Contains("NUGET_PACKAGES", variables.Children.Keys.Select(Text));
        Assert.Contains("HF_HUB_CACHE", variables.Children.Keys.Select(Text));

        var jobs = Seq(root, "jobs").Cast<YamlMappingNode>().ToList();
        var matrixJob = Assert.Single(jobs, job => job.Children.ContainsKey("strategy"));
        var legs = Map(matrixJob, "strategy", "matrix").Children.Values.Cast<YamlMappingNode>().ToList();
        AssertAdapterProjects(legs.Select(leg => Text(leg, "project")).ToList());

        var steps = Steps(matrixJob);
        var setup = Assert.Single(steps, step => TaskName(step) == "UseDotNet@2");
        Assert.Equal("10.0.x", Text(Map(setup, "inputs"), "version"));
        var cachedPaths = steps.Where(step => TaskName(step) == "Cache@2").ToDictionary(step => Text(Map(step, "inputs"), "path"), step => Text(Map(step, "inputs"), "key"));
        Assert.Contains("Directory.Packages.props", cachedPaths["$(NUGET_PACKAGES)"], StringComparison.Ordinal);
        Assert.Contains("$(HF_HUB_CACHE)", cachedPaths.Keys);
        Assert.Contains(steps, step => Run(step).Contains("dotnet tool restore", StringComparison.Ordinal));

        var builds = steps.Where(step => Run(step).Contains("dotnet build", StringComparison.Ordinal)).ToList();
        Assert.True(builds.Count >= 2, "a build step for pull requests and one for pushes");
        foreach (var (run, context, mode) in AzureRuns)
        {
            var active = Assert.Single(builds, step => AzureExpression.IsTrue(Text(step, "condition"), context));
            Assert.True(mode == CacheSettings(Run(active)).Mode, $"{run}: the build step '{Text(active, "displayName")}' should use LoraCacheMode {mode}");
        }

        Assert.Contains(steps, step => Run(step).Contains("dotnet pack", StringComparison.Ordinal));
        Assert.Contains(steps, step => step.Children.ContainsKey("publish"));

        var consumer = Assert.Single(jobs, job => job.Children.TryGetValue("dependsOn", out var needs) && Names(needs).Contains(Text(matrixJob, "job")));
        var consumerSteps = Steps(consumer);
        Assert.Contains(consumerSteps, step => step.Children.ContainsKey("download"));
        Assert.Contains(consumerSteps, step => Run(step).Contains("dotnet test", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(GitHubRecipe)]
    [InlineData(AzureRecipe)]
    public void EveryLoraPropertyExistsInTheSdk(string recipe)
    {
        var known = SdkProperties();
        var used = CommandLines(Load(recipe))
            .SelectMany(Tokens)
            .Select(token => PropertySwitchRegex().Match(token))
            .Where(match => match.Success)
            .SelectMany(match => match.Groups["assignments"].Value.Split(';'))
            .Select(assignment => assignment.Split('=')[0])
            .Where(name => name.StartsWith("Lora", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("LoraCacheMode", used);
        Assert.Empty(used.Where(name => !known.Contains(name)).Select(name => $"-p:{name} is set in docs/ci/{recipe} but no props or targets file of src/LoraBuild.Tasks reads it"));
    }

    [Theory]
    [InlineData(GitHubRecipe)]
    [InlineData(AzureRecipe)]
    public void EveryLoraBuildAndHuggingFaceVariableIsOneTheProductReads(string recipe)
    {
        var text = File.ReadAllText(Repository.File("docs", "ci", recipe));
        var source = string.Join('\n', Directory.EnumerateFiles(Repository.File("src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var used = VariableRegex().Matches(text).Select(match => match.Value).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("LORABUILD_CACHE_API_KEY", used);
        Assert.Empty(used.Where(name => !source.Contains($"\"{name}\"", StringComparison.Ordinal)).Select(name => $"{name} in docs/ci/{recipe} is read nowhere in src/"));
    }

    [Theory]
    [InlineData(GitHubRecipe)]
    [InlineData(AzureRecipe)]
    public void EveryDotnetLoraCommandAndOptionExists(string recipe)
    {
        var invocations = CommandLines(Load(recipe)).Select(Tokens).Select(CliArguments).OfType<string[]>().ToList();
        Assert.NotEmpty(invocations);

        foreach (var arguments in invocations)
        {
            var path = new List<string>();
            var help = Help(path);
            foreach (var token in arguments.TakeWhile(token => !token.StartsWith('-')))
            {
                if (!help.Commands.Contains(token))
                {
                    break;
                }

                path.Add(token);
                help = Help(path);
            }

            var shown = $"dotnet lora {string.Join(' ', arguments)}";
            Assert.True(path.Count > 0, $"{shown} (docs/ci/{recipe}): '{arguments.FirstOrDefault()}' is no dotnet-lora command");
            Assert.True(help.Commands.Count == 0, $"{shown} (docs/ci/{recipe}): 'dotnet lora {string.Join(' ', path)}' needs one of its subcommands: {string.Join(", ", help.Commands)}");
            var unknown = arguments.Where(token => token.StartsWith('-')).Select(token => token.Split('=')[0]).Where(option => !help.Options.Contains(option)).ToList();
            Assert.True(unknown.Count == 0, $"{shown} (docs/ci/{recipe}): 'dotnet lora {string.Join(' ', path)}' has no option {string.Join(", ", unknown)}");
        }
    }

    [Fact]
    public void TheDocLinksBothRecipesAndQuotesOnlyWhatTheyContain()
    {
        var doc = File.ReadAllText(Repository.File("docs", "ci.md"));
        Assert.Contains("(ci/github-actions.yml)", doc, StringComparison.Ordinal);
        Assert.Contains("(ci/azure-pipelines.yml)", doc, StringComparison.Ordinal);
        var recipes = File.ReadAllText(Repository.File("docs", "ci", GitHubRecipe)) + File.ReadAllText(Repository.File("docs", "ci", AzureRecipe));
        var quoted = QuotedBuildLineRegex().Matches(doc).Select(match => match.Value.Trim()).ToList();
        Assert.NotEmpty(quoted);
        Assert.All(quoted, line => Assert.Contains(line, recipes, StringComparison.Ordinal));
    }

    private static void AssertAdapterProjects(List<string> projects)
    {
        Assert.True(projects.Count >= 2, $"the matrix should list at least two adapter projects, not {projects.Count}");
        foreach (var project in projects)
        {
            var path = Repository.File(project.Split('/'));
            Assert.True(File.Exists(path), $"{project} does not exist");
            Assert.Contains("<LoraAdapter ", File.ReadAllText(path), StringComparison.Ordinal);
        }
    }

    /// <summary>The properties the Sdk's props and targets define or read.</summary>
    private static HashSet<string> SdkProperties()
    {
        var files = SdkFolders
            .SelectMany(folder => Directory.EnumerateFiles(Repository.File("src", "LoraBuild.Tasks", folder)))
            .Where(path => path.EndsWith(".props", StringComparison.Ordinal) || path.EndsWith(".targets", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var document = XDocument.Load(file);
            names.UnionWith(document.Descendants().Where(element => element.Name.LocalName == "PropertyGroup").SelectMany(group => group.Elements()).Select(element => element.Name.LocalName));
            names.UnionWith(PropertyReferenceRegex().Matches(File.ReadAllText(file)).Select(match => match.Groups[1].Value));
        }

        return names;
    }

    /// <summary>The cache settings a build command line gives, read by the product's own parser (so values are checked too).</summary>
    private static TrainingCacheSettings CacheSettings(string commandLine)
    {
        var properties = Tokens(commandLine)
            .Select(token => PropertySwitchRegex().Match(token))
            .Where(match => match.Success)
            .SelectMany(match => match.Groups["assignments"].Value.Split(';'))
            .Select(assignment => assignment.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : string.Empty, StringComparer.OrdinalIgnoreCase);
        return TrainingCacheSettings.Resolve(
            properties.GetValueOrDefault("LoraCacheSource"), properties.GetValueOrDefault("LoraCacheMode"), properties.GetValueOrDefault("LoraCacheRequired"), environment: _ => null);
    }

    /// <summary>The arguments after the program when a command line runs dotnet-lora, else null.</summary>
    private static string[]? CliArguments(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            int? start = tokens[i] switch
            {
                "dotnet-lora" => i + 1,
                "dotnet" when i + 1 < tokens.Count && tokens[i + 1] == "lora" => i + 2,
                "dotnet" when i + 3 < tokens.Count && tokens[i + 1] == "tool" && tokens[i + 2] == "run" && tokens[i + 3] == "dotnet-lora" => i + 4,
                "dotnet" when i + 1 < tokens.Count && tokens[i + 1] == "run" && RunsTheCli(tokens[(i + 2)..]) => tokens.IndexOf("--", i) + 1,
                _ => null,
            };
            if (start is { } first)
            {
                return [.. tokens.Skip(first).TakeWhile(token => token is not ("&&" or "||" or ";" or "|"))];
            }
        }

        return null;
    }

    /// <summary>Whether <c>dotnet run</c> with these arguments runs the Cli project with arguments of its own (after <c>--</c>).</summary>
    private static bool RunsTheCli(List<string> runArguments)
    {
        var project = runArguments.TakeWhile(token => token != "--").SkipWhile(token => token != "--project").Skip(1).FirstOrDefault();
        if (project is null || !runArguments.Contains("--"))
        {
            return false;
        }

        Assert.True(File.Exists(Path.Combine(Repository.File(project.Split('/')), "LoraBuild.Cli.csproj")), $"dotnet run --project {project}: not the Cli project");
        return true;
    }

    /// <summary>What <c>dotnet-lora [path] --help</c> lists: subcommands and option aliases.</summary>
    private static HelpText Help(IReadOnlyList<string> path)
    {
        var key = string.Join(' ', path);
        lock (HelpCache)
        {
            if (HelpCache.TryGetValue(key, out var cached))
            {
                return cached;
            }

            Assert.True(File.Exists(Repository.Engine), $"The Cli is not built: {Repository.Engine}");
            var (exitCode, output) = DotNetProcess.Run(Repository.Root, null, [Repository.Engine, .. path, "--help"]);
            Assert.True(exitCode == 0, $"dotnet-lora {key} --help exited with {exitCode}: {output}");
            var usage = UsageRegex().Match(output);
            Assert.True(usage.Success && usage.Groups["path"].Value.Trim() == key, $"dotnet-lora {key} --help shows the help of another command: {output}");

            var help = new HelpText(
                [.. Section(output, "Commands").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])],
                [.. Section(output, "Options").SelectMany(line => OptionAliasesRegex().Match(line).Groups[1].Value.Split(", "))]);
            HelpCache[key] = help;
            return help;
        }
    }

    private static IEnumerable<string> Section(string help, string title) =>
        help.Split('\n')
            .SkipWhile(line => line.TrimEnd() != $"{title}:")
            .Skip(1)
            .TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal))
            .Where(line => !line.StartsWith("   ", StringComparison.Ordinal));

    private static YamlMappingNode Load(string recipe)
    {
        using var reader = new StreamReader(Repository.File("docs", "ci", recipe));
        var stream = new YamlStream();
        stream.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    /// <summary>Every shell command of a recipe (GitHub's <c>run</c>, Azure's <c>script</c> and <c>bash</c>), one logical line each.</summary>
    private static IEnumerable<string> CommandLines(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.SelectMany(pair =>
            pair.Key is YamlScalarNode { Value: { } key } && CommandKeys.Contains(key) && pair.Value is YamlScalarNode { Value: { } command }
                ? command.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
                : CommandLines(pair.Value)),
        YamlSequenceNode sequence => sequence.Children.SelectMany(CommandLines),
        _ => [],
    };

    private static List<string> Tokens(string commandLine) =>
        [.. ShellTokenRegex().Matches(commandLine).Select(match => match.Value.Replace("\"", string.Empty, StringComparison.Ordinal).Replace("'", string.Empty, StringComparison.Ordinal))];

    private static List<YamlMappingNode> Steps(YamlMappingNode job) => [.. Seq(job, "steps").Cast<YamlMappingNode>()];

    private static YamlMappingNode Map(YamlMappingNode node, params string[] keys)
    {
        foreach (var key in keys)
        {
            node = node.Children.TryGetValue(key, out var child) && child is YamlMappingNode map ? map : new YamlMappingNode();
        }

        return node;
    }

    private static YamlSequenceNode Seq(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var child) && child is YamlSequenceNode sequence ? sequence : new YamlSequenceNode();

    private static string Text(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : string.Empty;

    private static string Text(YamlMappingNode node, string key) => node.Children.TryGetValue(key, out var child) ? Text(child) : string.Empty;

    private static HashSet<string> Names(YamlNode node) => node is YamlSequenceNode sequence ? [.. sequence.Children.Select(Text)] : [Text(node)];

    private static string Uses(YamlMappingNode step) => Text(step, "uses");

    private static string TaskName(YamlMappingNode step) => Text(step, "task");

    private static string Run(YamlMappingNode step) => string.Join('\n', CommandKeys.Select(key => Text(step, key)));

    [GeneratedRegex(@"^(?:-p:|/p:|-property:|--property:)(?<assignments>.+)$")]
    private static partial Regex PropertySwitchRegex();

    [GeneratedRegex(@"\$\((Lora\w+)\)")]
    private static partial Regex PropertyReferenceRegex();

    [GeneratedRegex(@"\b(?:LORABUILD|HF)_[A-Z0-9_]+\b")]
    private static partial Regex VariableRegex();

    [GeneratedRegex(@"""[^""]*""|'[^']*'|[^\s]+")]
    private static partial Regex ShellTokenRegex();

    [GeneratedRegex(@"^Usage:\s*\n\s*dotnet-lora(?<path>(?: [a-z][\w-]*)*)", RegexOptions.Multiline)]
    private static partial Regex UsageRegex();

    [GeneratedRegex(@"^\s{2}((?:-{1,2}[\w?-]+)(?:, -{1,2}[\w?-]+)*)")]
    private static partial Regex OptionAliasesRegex();

    [GeneratedRegex(@"dotnet build [^\n`]*-p:LoraCacheMode=\w+[^\n`]*")]
    private static partial Regex QuotedBuildLineRegex();

    private sealed record HelpText(HashSet<string> Commands, HashSet<string> Options);

    /// <summary>
    /// GitHub Actions' <c>if:</c> expressions, as far as the recipe uses them: context names, string literals, <c>==</c>,
    /// <c>!=</c> (case-insensitive, as GitHub compares strings), <c>!</c>, <c>&amp;&amp;</c>, <c>||</c> and parentheses.
    /// </summary>
    private static partial class GitHubExpression
    {
        public static bool IsTrue(string expression, IReadOnlyDictionary<string, string> context)
        {
            var tokens = TokenRegex().Matches(expression.Replace("${{", string.Empty, StringComparison.Ordinal).Replace("}}", string.Empty, StringComparison.Ordinal)).Select(m => m.Value).ToList();
            Assert.NotEmpty(tokens);
            var position = 0;
            var value = Or(tokens, ref position, context);
            Assert.True(position == tokens.Count, $"cannot read the condition '{expression}'");
            return Truthy(value);
        }

        private static object Or(List<string> tokens, ref int position, IReadOnlyDictionary<string, string> context)
        {
            var value = And(tokens, ref position, context);
            while (position < tokens.Count && tokens[position] == "||")
            {
                position++;
                var right = And(tokens, ref position, context);
                value = Truthy(value) || Truthy(right);
            }

            return value;
        }

        private static object And(List<string> tokens, ref int position, IReadOnlyDictionary<string, string> context)
        {
            var value = Comparison(tokens, ref position, context);
            while (position < tokens.Count && tokens[position] == "&&")
            {
                position++;
                var right = Comparison(tokens, ref position, context);
                value = Truthy(value) && Truthy(right);
            }

            return value;
        }

        private static object Comparison(List<string> tokens, ref int position, IReadOnlyDictionary<string, string> context)
        {
            var left = Primary(tokens, ref position, context);
            if (position < tokens.Count && tokens[position] is "==" or "!=")
            {
                var equal = tokens[position++] == "==";
                var right = Primary(tokens, ref position, context);
                return equal == string.Equals(left.ToString(), right.ToString(), StringComparison.OrdinalIgnoreCase);
            }

            return left;
        }

        private static object Primary(List<string> tokens, ref int position, IReadOnlyDictionary<string, string> context)
        {
            var token = tokens[position++];
            switch (token)
            {
                case "(":
                    var value = Or(tokens, ref position, context);
                    Assert.Equal(")", tokens[position++]);
                    return value;
                case "!":
                    return !Truthy(Primary(tokens, ref position, context));
                case ['\'', .., '\'']:
                    return token[1..^1];
                default:
                    Assert.True(context.ContainsKey(token), $"the test does not model '{token}'");
                    return context[token];
            }
        }

        private static bool Truthy(object value) => value is bool flag ? flag : !string.IsNullOrEmpty(value.ToString());

        [GeneratedRegex(@"'[^']*'|==|!=|&&|\|\||[()!]|[\w.\-]+")]
        private static partial Regex TokenRegex();
    }

    /// <summary>
    /// Azure Pipelines' runtime conditions, as far as the recipe uses them: <c>and</c>, <c>or</c>, <c>not</c>,
    /// <c>eq</c>, <c>ne</c> (case-insensitive), <c>succeeded()</c>, <c>variables['…']</c> and string literals.
    /// </summary>
    private static partial class AzureExpression
    {
        public static bool IsTrue(string expression, IReadOnlyDictionary<string, string> variables)
        {
            var tokens = TokenRegex().Matches(expression).Select(m => m.Value).ToList();
            Assert.NotEmpty(tokens);
            var position = 0;
            var value = Value(tokens, ref position, variables);
            Assert.True(position == tokens.Count, $"cannot read the condition '{expression}'");
            return value is true;
        }

        private static object Value(List<string> tokens, ref int position, IReadOnlyDictionary<string, string> variables)
        {
            var token = tokens[position++];
            if (token.StartsWith('\''))
            {
                return token[1..^1];
            }

            if (token == "variables")
            {
                Assert.Equal("[", tokens[position++]);
                var name = tokens[position++][1..^1];
                Assert.Equal("]", tokens[position++]);
                Assert.True(variables.ContainsKey(name), $"the test does not model variables['{name}']");
                return variables[name];
            }

            Assert.Equal("(", tokens[position++]);
            var arguments = new List<object>();
            while (tokens[position] != ")")
            {
                arguments.Add(Value(tokens, ref position, variables));
                if (tokens[position] == ",")
                {
                    position++;
                }
            }

            position++;
            return token switch
            {
                "succeeded" or "always" => true,
                "and" => arguments.All(argument => argument is true),
                "or" => arguments.Any(argument => argument is true),
                "not" => arguments.Single() is not true,
                "eq" => string.Equals(arguments[0].ToString(), arguments[1].ToString(), StringComparison.OrdinalIgnoreCase),
                "ne" => !string.Equals(arguments[0].ToString(), arguments[1].ToString(), StringComparison.OrdinalIgnoreCase),
                _ => throw new Xunit.Sdk.XunitException($"the test does not model the function {token}()"),
            };
        }

        [GeneratedRegex(@"'[^']*'|[(),\[\]]|[\w.]+")]
        private static partial Regex TokenRegex();
    }
}
