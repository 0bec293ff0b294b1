using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public sealed class TextReaderTests : IDisposable
{
    private readonly TempDataset _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void TextFileIsOneVerbatimDocument()
    {
        var path = _files.Write("book.txt", "Chapter 1\n\nIt was a dark night.\n");

        var record = Assert.Single(DatasetReader.ReadText(path));

        Assert.Equal(new TextRecord("Chapter 1\n\nIt was a dark night.\n", $"{path}:1"), record);
    }

    [Fact]
    public void JsonLinesHoldOneDocumentPerRecord()
    {
        var path = _files.Write("docs.jsonl", "{\"text\": \"first\", \"meta\": 1}\n\n{\"text\": \"second\\nline\"}\n");

        var records = DatasetReader.Read(path, DatasetFormat.Text);

        Assert.Equal([new TextRecord("first", $"{path}:1"), new TextRecord("second\nline", $"{path}:3")], records);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t\n")]
    public void EmptyTextFileIsRejected(string content)
    {
        var path = _files.Write("book.txt", content);

        LoraAssert.Throws(DataErrorCodes.DatasetEmpty, path, () => DatasetReader.ReadText(path));
    }

    [Theory]
    [InlineData("{\"content\": \"x\"}", DataErrorCodes.FieldMissing)]
    [InlineData("{\"text\": 3}", DataErrorCodes.FieldWrongType)]
    [InlineData("{\"text\": \"\"}", DataErrorCodes.FieldEmpty)]
    [InlineData("\"just a string\"", DataErrorCodes.RecordNotObject)]
    [InlineData("{\"text\": \"x\"", DataErrorCodes.MalformedJson)]
    public void BadTextRecordIsRejected(string record, string code)
    {
        var path = _files.Write("docs.jsonl", "{\"text\": \"fine\"}\n" + record + "\n");

        LoraAssert.Throws(code, $"{path}:2", () => DatasetReader.ReadText(path));
    }

    [Fact]
    public void MissingTextFileIsUnreadable()
    {
        var path = _files.PathOf("absent.txt");

        LoraAssert.Throws(DataErrorCodes.DatasetUnreadable, path, () => DatasetReader.ReadText(path));
    }

    [Fact]
    public void TextFormatOnlyAcceptsItsExtensions()
    {
        var path = _files.Write("book.md", "# Title\n");

        var exception = LoraAssert.Throws(DataErrorCodes.UnsupportedFileExtension, path, () => DatasetReader.ReadText(path));
        Assert.Contains(".txt", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TxtIsNotAnAlpacaFile()
    {
        var path = _files.Write("train.txt", "instruction\n");

        LoraAssert.Throws(DataErrorCodes.UnsupportedFileExtension, path, () => DatasetReader.Read(path, DatasetFormat.Alpaca));
    }
}
