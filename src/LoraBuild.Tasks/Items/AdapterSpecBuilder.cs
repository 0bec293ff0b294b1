using System.Text.RegularExpressions;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Specs;
using Microsoft.Build.Framework;
using static LoraBuild.Tasks.Items.LoraItemNames;

namespace LoraBuild.Tasks.Items;

/// <summary>
/// Maps a project's LoraBaseModel, LoraDataset, LoraAdapter and LoraEval items onto one <see cref="TrainingSpec"/> per
/// adapter: the same record a <c>lora.json</c> maps onto. Paths become project-relative with '/' separators, so two
/// spellings of one file give the same spec; datasets and evals that are not listed explicitly are taken in path order,
/// so the order items are written in does not matter.
/// </summary>
internal sealed partial class AdapterSpecBuilder
{
    private readonly string _projectDirectory;
    private readonly IReadOnlyList<ITaskItem> _baseModels;
    private readonly IReadOnlyList<ITaskItem> _datasets;
    private readonly IReadOnlyList<ITaskItem> _evals;

    public AdapterSpecBuilder(string projectDirectory, IReadOnlyList<ITaskItem> baseModels, IReadOnlyList<ITaskItem> datasets, IReadOnlyList<ITaskItem> evals)
    {
        _projectDirectory = Path.GetFullPath(projectDirectory);
        _baseModels = baseModels;
        _datasets = datasets;
        _evals = evals;
    }

    /// <summary>The validated spec of one LoraAdapter item; every problem is a <see cref="LoraItemException"/> naming the item at fault.</summary>
    public TrainingSpec Build(ITaskItem adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var item = Reference(Adapter, adapter);
        var spec = AdapterSettingsMetadata.Apply(new TrainingSpec { Name = adapter.ItemSpec }, adapter.GetMetadata, item) with
        {
            BaseModel = ResolveBaseModel(adapter, item),
            Datasets = ResolveDatasets(adapter, item),
            EvalDatasets = ResolveEvals(adapter.ItemSpec),
            BaseDirectory = _projectDirectory,
        };
        return Validate(spec, item);
    }

    /// <summary>Metadata on an item that LoraBuild does not read: likely typos, reported as warnings.</summary>
    public static IEnumerable<string> UnknownMetadata(string itemType, ITaskItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        IEnumerable<string> known = itemType switch
        {
            Adapter => AdapterSettingsMetadata.Settings.Select(p => p.Name).Concat([BaseModelMetadata, DatasetsMetadata, SeedsMetadata, BuildExport.ExportMetadata, BuildExport.ExportBaseMetadata]),
            BaseModel => [PathMetadata, HubIdMetadata, RevisionMetadata],
            Dataset => [FormatMetadata, ChatTemplateMetadata],
            Eval => [AdapterMetadata, MetricMetadata, FormatMetadata, ChatTemplateMetadata],
            _ => [],
        };
        var knownSet = new HashSet<string>(known, StringComparer.OrdinalIgnoreCase);
        return item.MetadataNames.Cast<string>().Where(name => !knownSet.Contains(name) && !WellKnownMetadata.Contains(name)).Order(StringComparer.Ordinal);
    }

    private BaseModelReference ResolveBaseModel(ITaskItem adapter, LoraItemReference item)
    {
        var name = adapter.GetMetadata(BaseModelMetadata).Trim();
        ITaskItem model;
        if (name.Length == 0)
        {
            model = _baseModels.Count == 1
                ? _baseModels[0]
                : throw new LoraItemException(
                    TaskErrorCodes.BaseModelUnresolved,
                    _baseModels.Count == 0
                        ? "The project declares no LoraBaseModel item; add one (<LoraBaseModel Include=\"name\" Path=\"folder\" />) and name it in BaseModel."
                        : $"BaseModel is empty and the project declares {_baseModels.Count} LoraBaseModel items ({string.Join(", ", _baseModels.Select(m => m.ItemSpec))}); name one.",
                    item,
                    BaseModelMetadata);
        }
        else
        {
            model = _baseModels.FirstOrDefault(m => string.Equals(m.ItemSpec, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new LoraItemException(
                    TaskErrorCodes.BaseModelUnresolved,
                    $"BaseModel '{name}' names no LoraBaseModel item; declared: {(_baseModels.Count == 0 ? "none" : string.Join(", ", _baseModels.Select(m => m.ItemSpec)))}.",
                    item,
                    BaseModelMetadata);
        }

        var modelItem = Reference(BaseModel, model);
        var path = model.GetMetadata(PathMetadata).Trim();
        var hubId = Optional(model.GetMetadata(HubIdMetadata));
        if (path.Length == 0)
        {
            if (hubId is null)
            {
                throw new LoraItemException(
                    SpecErrorCodes.SettingMissing,
                    "The LoraBaseModel has neither Path nor HubId: set Path to a model folder in Hugging Face layout (config.json, *.safetensors, tokenizer.json), or HubId to a Hugging Face repository (org/name).",
                    modelItem);
            }

            var revision = Optional(model.GetMetadata(RevisionMetadata));
            try
            {
                HubModelReference.Create(hubId, revision, location: null);
            }
            catch (LoraException e)
            {
                throw new LoraItemException(e.Code, e.Message, modelItem, HubIdMetadata, e);
            }

            return new BaseModelReference { HubId = hubId, Revision = revision };
        }

        var fullPath = FullPath(path);
        if (!File.Exists(Path.Combine(fullPath, "config.json")))
        {
            throw new LoraItemException(SpecErrorCodes.BaseModelNotFound, $"The base model folder '{fullPath}' does not exist or has no config.json.", modelItem, PathMetadata);
        }

        return new BaseModelReference { Path = ProjectRelative(fullPath), HubId = hubId, Revision = Optional(model.GetMetadata(RevisionMetadata)) };
    }

    private List<DatasetReference> ResolveDatasets(ITaskItem adapter, LoraItemReference item)
    {
        var listed = adapter.GetMetadata(DatasetsMetadata).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<ITaskItem> chosen;
        if (listed.Length == 0)
        {
            chosen = _datasets.Count > 0
                ? _datasets.OrderBy(d => ProjectRelative(FullPath(d.ItemSpec)), StringComparer.Ordinal)
                : throw new LoraItemException(TaskErrorCodes.DatasetUnresolved, "The project declares no LoraDataset item; add one (<LoraDataset Include=\"data/train.jsonl\" Format=\"alpaca\" />).", item, DatasetsMetadata);
        }
        else
        {
            chosen = listed.Select(entry => _datasets.FirstOrDefault(d => FullPath(d.ItemSpec) == FullPath(entry))
                ?? throw new LoraItemException(
                    TaskErrorCodes.DatasetUnresolved,
                    $"Datasets lists '{entry}', which is not a LoraDataset item; declare it (<LoraDataset Include=\"{entry}\" Format=\"alpaca\" />).",
                    item,
                    DatasetsMetadata));
        }

        return [.. chosen.Select(d => DatasetReference(d, Dataset, metric: null))];
    }

    private List<DatasetReference> ResolveEvals(string adapterName) =>
    [
        .. _evals
            .Where(e => Optional(e.GetMetadata(AdapterMetadata)) is not { } target || string.Equals(target, adapterName, StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => ProjectRelative(FullPath(e.ItemSpec)), StringComparer.Ordinal)
            .Select(e => DatasetReference(e, Eval, Optional(e.GetMetadata(MetricMetadata)))),
    ];

    private DatasetReference DatasetReference(ITaskItem dataset, string itemType, string? metric)
    {
        var fullPath = FullPath(dataset.ItemSpec);
        if (!File.Exists(fullPath))
        {
            throw new LoraItemException(SpecErrorCodes.DatasetNotFound, $"The dataset '{fullPath}' does not exist.", Reference(itemType, dataset));
        }

        return new DatasetReference
        {
            Path = ProjectRelative(fullPath),
            Format = Optional(dataset.GetMetadata(FormatMetadata)) ?? new DatasetReference().Format,
            ChatTemplate = Optional(dataset.GetMetadata(ChatTemplateMetadata)),
            Metric = metric,
        };
    }

    /// <summary>Runs the same validation a lora.json gets; its error keeps its code and points at the metadata it names.</summary>
    private static TrainingSpec Validate(TrainingSpec spec, LoraItemReference item)
    {
        try
        {
            return TrainingSpecValidator.Validate(spec with { SourceLocation = item.ToString() });
        }
        catch (LoraException e) when (e is not LoraItemException)
        {
            var setting = SettingNameRegex().Match(e.Message) is { Success: true } match ? match.Groups[1].Value : null;
            var metadata = setting is null
                ? null
                : AdapterSettingsMetadata.Settings.FirstOrDefault(p => string.Equals(p.Name, setting, StringComparison.OrdinalIgnoreCase))?.Name;
            throw new LoraItemException(e.Code, e.Message, item, metadata, e);
        }
    }

    private string FullPath(string path) => Path.GetFullPath(Path.Combine(_projectDirectory, path.Replace('\\', '/')));

    private string ProjectRelative(string fullPath) =>
        Path.GetRelativePath(_projectDirectory, fullPath).Replace('\\', '/').TrimEnd('/');

    private static string? Optional(string value) => value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    private static LoraItemReference Reference(string itemType, ITaskItem item) =>
        new(itemType, item.ItemSpec, Optional(item.GetMetadata("DefiningProjectFullPath")));

    [GeneratedRegex("^'([A-Za-z]+)'")]
    private static partial Regex SettingNameRegex();
}
