using System.Text;
using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public sealed class AlpacaReaderTests : IDisposable
{
    private readonly TempDataset _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void JsonLinesRecordsAreReadWithTheirLines()
    {
        var path = _files.Write("train.jsonl", """
            {"instruction": "Add.", "input": "2 and 3", "output": "5", "source": "ignored"}

            {"instruction": "Greet.", "output": "Hello."}
            {"instruction": "Name a color.", "input": null, "output": "Red."}
            """);

        var records = DatasetReader.ReadAlpaca(path);

        Assert.Equal(
            [
                new AlpacaRecord("Add.", "2 and 3", "5", $"{path}:1"),
                new AlpacaRecord("Greet.", "", "Hello.", $"{path}:3"),
                new AlpacaRecord("Name a color.", "", "Red.", $"{path}:4"),
            ],
            records);
    }

    [Fact]
    public void JsonArrayRecordsAreLocatedWhereTheirElementStarts()
    {
        var path = _files.Write("train.json", """
            [
              {
                "instruction": "Add.",
                "input": "2 and 3",
                "output": "5"
              },
              {"instruction": "Greet.", "input": "", "output": "Hello."},

              {
                "instruction": "Count.",
                "output": "1 2 3"
              }
            ]
            """);

        var records = DatasetReader.ReadAlpaca(path);

        Assert.Equal([$"{path}:2", $"{path}:7", $"{path}:9"], records.Select(record => record.Location));
        Assert.Equal("1 2 3", records[2].Output);
    }

    [Fact]
    public void ByteOrderMarkAndCrLfLineEndingsAreAccepted()
    {
        var preamble = Encoding.UTF8.GetPreamble();
        var jsonl = _files.WriteBytes(
            "bom.jsonl",
            [.. preamble, .. "{\"instruction\": \"a\", \"output\": \"b\"}\r\n\r\n{\"instruction\": \"c\", \"output\": \"d\"}\r\n"u8]);
        var json = _files.WriteBytes(
            "bom.json",
            [.. preamble, .. "[\r\n{\"instruction\": \"a\", \"output\": \"b\"},\r\n{\"instruction\": \"c\", \"output\": \"d\"}\r\n]"u8]);

        Assert.Equal([$"{jsonl}:1", $"{jsonl}:3"], DatasetReader.ReadAlpaca(jsonl).Select(record => record.Location));
        Assert.Equal([$"{json}:2", $"{json}:3"], DatasetReader.ReadAlpaca(json).Select(record => record.Location));
    }

    [Fact]
    public void MalformedJsonLineNamesItsLine()
    {
        var path = _files.Write("train.jsonl", """
            {"instruction": "a", "output": "b"}
            {"instruction": "c", "output": "d"}
            {"instruction": "e", "output": }
            """);

        LoraAssert.Throws(DataErrorCodes.MalformedJson, $"{path}:3", () => DatasetReader.ReadAlpaca(path));
    }

    [Fact]
    public void ALoneSurrogateNamesItsLine()
    {
        var path = _files.Write("train.jsonl", """
            {"instruction": "a", "output": "b"}
            {"instruction": "c\uD800", "output": "d"}
            """);

        LoraAssert.Throws(DataErrorCodes.MalformedJson, $"{path}:2", () => DatasetReader.ReadAlpaca(path));
    }

    [Fact]
    public void MalformedJsonInsideArrayNamesTheLineOfTheFault()
    {
        var path = _files.Write("train.json", """
            [
              {"instruction": "a", "output": "b"},
              {"instruction": "c",
               "output": 'd'}
            ]
            """);

        LoraAssert.Throws(DataErrorCodes.MalformedJson, $"{path}:4", () => DatasetReader.ReadAlpaca(path));
    }

    [Fact]
    public void ContentAfterTheArrayIsMalformed()
    {
        var path = _files.Write("train.json", "[{\"instruction\": \"a\", \"output\": \"b\"}]\n\n]");

        LoraAssert.Throws(DataErrorCodes.MalformedJson, $"{path}:3", () => DatasetReader.ReadAlpaca(path));
    }

    [Fact]
    public void RecordThatIsNotAnObjectIsRejected()
    {
        var jsonl = _files.Write("train.jsonl", "{\"instruction\": \"a\", \"output\": \"b\"}\n[\"a\", \"b\"]\n");
        var json = _files.Write("train.json", "[\n  {\"instruction\": \"a\", \"output\": \"b\"},\n  \"just text\"\n]");

        LoraAssert.Throws(DataErrorCodes.RecordNotObject, $"{jsonl}:2", () => DatasetReader.ReadAlpaca(jsonl));
        LoraAssert.Throws(DataErrorCodes.RecordNotObject, $"{json}:3", () => DatasetReader.ReadAlpaca(json));
    }

    [Fact]
    public void JsonFileMustHoldAnArray()
    {
        var path = _files.Write("train.json", "\n{\"instruction\": \"a\", \"output\": \"b\"}");

        LoraAssert.Throws(DataErrorCodes.JsonRootNotArray, $"{path}:2", () => DatasetReader.ReadAlpaca(path));
    }

    [Theory]
    [InlineData("{\"input\": \"x\", \"output\": \"b\"}", "instruction")]
    [InlineData("{\"instruction\": \"a\", \"input\": \"x\"}", "output")]
    public void MissingRequiredFieldIsNamed(string record, string field)
    {
        var path = _files.Write("train.jsonl", $"{{\"instruction\": \"a\", \"output\": \"b\"}}\n\n{record}\n");

        var exception = LoraAssert.Throws(DataErrorCodes.FieldMissing, $"{path}:3", () => DatasetReader.ReadAlpaca(path));
        Assert.Contains($"\"{field}\"", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFieldInArrayElementNamesTheElementLine()
    {
        var path = _files.Write("train.json", "[\n  {\"instruction\": \"a\", \"output\": \"b\"},\n  {\n    \"instruction\": \"c\"\n  }\n]");

        LoraAssert.Throws(DataErrorCodes.FieldMissing, $"{path}:3", () => DatasetReader.ReadAlpaca(path));
    }

    [Theory]
    [InlineData("{\"instruction\": 7, \"output\": \"b\"}", "instruction", "a number")]
    [InlineData("{\"instruction\": \"a\", \"output\": null}", "output", "null")]
    [InlineData("{\"instruction\": \"a\", \"input\": [\"x\"], \"output\": \"b\"}", "input", "an array")]
    [InlineData("{\"instruction\": \"a\", \"input\": false, \"output\": \"b\"}", "input", "a boolean")]
    public void FieldOfTheWrongTypeIsNamed(string record, string field, string found)
    {
        var path = _files.Write("train.jsonl", record + "\n");

        var exception = LoraAssert.Throws(DataErrorCodes.FieldWrongType, $"{path}:1", () => DatasetReader.ReadAlpaca(path));
        Assert.Equal($"\"{field}\" must be a string, but is {found}.", exception.Message);
    }

    [Theory]
    [InlineData("train.jsonl", "")]
    [InlineData("train.jsonl", "\n  \n\t\n")]
    [InlineData("train.json", "")]
    [InlineData("train.json", " \n ")]
    [InlineData("train.json", "[\n]")]
    public void EmptyDatasetIsRejected(string fileName, string content)
    {
        var path = _files.Write(fileName, content);

        LoraAssert.Throws(DataErrorCodes.DatasetEmpty, path, () => DatasetReader.ReadAlpaca(path));
    }

    [Fact]
    public void FirstErrorInFileOrderIsReported()
    {
        var path = _files.Write("train.jsonl", "{\"instruction\": \"a\"}\n{not json\n");

        LoraAssert.Throws(DataErrorCodes.FieldMissing, $"{path}:1", () => DatasetReader.ReadAlpaca(path));
    }

    [Fact]
    public void UnsupportedExtensionIsRejected()
    {
        var path = _files.Write("train.csv", "instruction,output\n");

        LoraAssert.Throws(DataErrorCodes.UnsupportedFileExtension, path, () => DatasetReader.ReadAlpaca(path));
        LoraAssert.Throws(DataErrorCodes.UnsupportedFileExtension, path, () => DatasetReader.Read(path, DatasetFormat.Chat));
    }

    [Fact]
    public void MissingFileIsUnreadable()
    {
        var jsonl = _files.PathOf("absent.jsonl");
        var json = _files.PathOf("absent.json");

        LoraAssert.Throws(DataErrorCodes.DatasetUnreadable, jsonl, () => DatasetReader.ReadAlpaca(jsonl));
        LoraAssert.Throws(DataErrorCodes.DatasetUnreadable, json, () => DatasetReader.ReadAlpaca(json));
    }

    [Fact]
    public void ReadDispatchesOnFormat()
    {
        var path = _files.Write("train.jsonl", "{\"instruction\": \"a\", \"output\": \"b\"}\n");

        var record = Assert.Single(DatasetReader.Read(path, DatasetFormat.Alpaca));

        Assert.IsType<AlpacaRecord>(record);
    }
}
