using LoraBuild.Tasks.Items;

namespace LoraBuild.Tasks.Tests.Items;

public class ItemLocatorTests
{
    private const string ProjectXml = """
        <Project Sdk="Microsoft.NET.Sdk">
          <ItemGroup>
            <LoraDataset Include="data\train.jsonl;data\more.jsonl" />
            <LoraAdapter Include="First" Rank="4" />
            <LoraAdapter Include="Second"
                         Alpha="8"
                         Rank="eight" />
            <LoraAdapter Include="Third">
              <Rank>2</Rank>
            </LoraAdapter>
          </ItemGroup>
        </Project>
        """;

    [Theory]
    [InlineData("LoraAdapter", "First", null, 4, 6)]
    [InlineData("LoraAdapter", "Second", null, 5, 6)]
    [InlineData("LoraAdapter", "Second", "Rank", 7, 18)]
    [InlineData("LoraAdapter", "second", "rank", 7, 18)]
    [InlineData("LoraAdapter", "Third", "Rank", 9, 8)]
    [InlineData("LoraAdapter", "Third", "Alpha", 8, 6)]
    [InlineData("LoraDataset", "data/more.jsonl", null, 3, 6)]
    [InlineData("LoraDataset", "./data/train.jsonl", null, 3, 6)]
    public void FindsTheElementOrMetadataThatDeclaredTheItem(string type, string include, string? metadata, int line, int column)
    {
        using var folder = new TempDirectory();
        var project = folder.Write("Project.csproj", ProjectXml);

        var at = new ItemLocator().Locate(type, include, metadata, [project]);

        Assert.Equal(new ItemLocation(project, line, column), at);
        Assert.Equal($"{project}({line},{column})", at.ToString());
    }

    [Fact]
    public void SearchesTheDefiningImportBeforeTheProject()
    {
        using var folder = new TempDirectory();
        var project = folder.Write("Project.csproj", ProjectXml);
        var import = folder.Write("Directory.Build.props", "<Project>\n  <ItemGroup>\n    <LoraAdapter Include=\"Shared\" />\n  </ItemGroup>\n</Project>\n");

        Assert.Equal(new ItemLocation(import, 3, 6), new ItemLocator().Locate("LoraAdapter", "Shared", null, [import, project]));
    }

    [Fact]
    public void FallsBackToTheProjectFile()
    {
        using var folder = new TempDirectory();
        var project = folder.Write("Project.csproj", ProjectXml);

        Assert.Equal(new ItemLocation(project, 0, 0), new ItemLocator().Locate("LoraAdapter", "$(Generated)", null, [string.Empty, project]));
        Assert.Equal(project, new ItemLocation(project, 0, 0).ToString());
    }
}
