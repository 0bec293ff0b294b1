using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LoraBuild.Tasks.Tests.Items;

/// <summary>Task items as MSBuild hands them to a task: an item spec and string metadata.</summary>
internal static class ItemFactory
{
    public static ITaskItem Item(string include, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(include);
        foreach (var (name, value) in metadata)
        {
            item.SetMetadata(name, value);
        }

        return item;
    }

    /// <summary>A project folder with a base model folder (a config.json is all the mapping checks) and datasets.</summary>
    public static TempDirectory Project(params string[] datasets)
    {
        var project = new TempDirectory();
        project.Write("models/base/config.json", "{}");
        foreach (var dataset in datasets)
        {
            project.Write(dataset, """{"instruction": "i", "output": "o"}""" + "\n");
        }

        return project;
    }
}
