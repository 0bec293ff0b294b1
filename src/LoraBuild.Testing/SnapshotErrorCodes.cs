namespace LoraBuild.Testing;

/// <summary>Codes for snapshot files and their settings (range LORA1370–LORA1389).</summary>
public static class SnapshotErrorCodes
{
    /// <summary>The folder that holds a test's snapshot files is not known or does not exist: set <c>SnapshotOptions.Directory</c> when the test's source folder is not on this machine.</summary>
    public const string DirectoryNotFound = "LORA1370";

    /// <summary>A snapshot name is empty or has a character other than letters, digits, <c>.</c>, <c>_</c> and <c>-</c>.</summary>
    public const string InvalidName = "LORA1371";

    /// <summary>A <c>*.verified.json</c> answers or metrics snapshot is not JSON or not in the expected layout; the message names the first bad field.</summary>
    public const string FileUnreadable = "LORA1372";

    /// <summary>A snapshot holds two samples or metrics with the same index or key, so they cannot be matched one to one.</summary>
    public const string DuplicateKey = "LORA1373";
}
