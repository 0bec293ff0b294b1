using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Training;

namespace LoraBuild.Core.Tests.Training;

public class CheckpointSettingsTests
{
    [Fact]
    public void ByDefaultARunCheckpointsEveryTenMinutesAndResumes()
    {
        var settings = CheckpointSettings.Resolve(null, null, null, _ => null);

        Assert.Equal((0, 10.0, true), (settings.EverySteps, settings.EveryMinutes, settings.Resume));
        Assert.False(settings.IsDue(5, 100, TimeSpan.FromMinutes(9.9)));
        Assert.True(settings.IsDue(5, 100, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void StepsAndMinutesAreEitherOrAndTheLastStepNeverCheckpoints()
    {
        var settings = new CheckpointSettings { EverySteps = 4, EveryMinutes = 1 };

        Assert.True(settings.IsDue(4, 10, TimeSpan.Zero));
        Assert.False(settings.IsDue(5, 10, TimeSpan.FromSeconds(59)));
        Assert.True(settings.IsDue(5, 10, TimeSpan.FromSeconds(60)));
        Assert.False(settings.IsDue(8, 8, TimeSpan.FromHours(1)));
        Assert.False(new CheckpointSettings { EveryMinutes = 0 }.Writes);
    }

    [Fact]
    public void ExplicitValuesWinOverTheEnvironment()
    {
        var environment = new Dictionary<string, string?>
        {
            [CheckpointSettings.StepsVariable] = "50",
            [CheckpointSettings.MinutesVariable] = "2.5",
            [CheckpointSettings.ResumeVariable] = "false",
        };

        var fromEnvironment = CheckpointSettings.Resolve(null, null, null, name => environment.GetValueOrDefault(name));
        var explicitly = CheckpointSettings.Resolve("7", "0", "true", name => environment.GetValueOrDefault(name));

        Assert.Equal((50, 2.5, false), (fromEnvironment.EverySteps, fromEnvironment.EveryMinutes, fromEnvironment.Resume));
        Assert.Equal((7, 0.0, true), (explicitly.EverySteps, explicitly.EveryMinutes, explicitly.Resume));
    }

    [Theory]
    [InlineData("often", null, null, "Checkpoint steps 'often'")]
    [InlineData("-3", null, null, "Checkpoint steps '-3'")]
    [InlineData(null, "-1", null, "Checkpoint minutes '-1'")]
    [InlineData(null, "NaN", null, "Checkpoint minutes 'NaN'")]
    [InlineData(null, null, "sometimes", "Resume 'sometimes'")]
    public void ABadValueIsACodedErrorAtItsPlace(string? steps, string? minutes, string? resume, string message)
    {
        var error = Assert.Throws<LoraException>(() => CheckpointSettings.Resolve(steps, minutes, resume, _ => null, "Micro.csproj"));

        Assert.Equal(CheckpointErrorCodes.SettingInvalid, error.Code);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("Micro.csproj", error.Location);
    }
}
