using LoraBuild.Core.IO;

namespace LoraBuild.Core.Tests.IO;

public class TrainingLockTests
{
    [Fact]
    public async Task ASecondTrainingWaitsForTheFirst()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "locks", "training.lock");
        using var never = new ManualResetEvent(false);
        var first = TrainingLock.Acquire(path, () => Assert.Fail("the lock is free"), never);
        using var waiting = new ManualResetEventSlim();

        var second = Task.Run(() => TrainingLock.Acquire(path, waiting.Set, never));

        Assert.True(waiting.Wait(TimeSpan.FromSeconds(10)), "the second acquirer should report that it waits");
        Assert.False(second.IsCompleted);
        first.Dispose();
        using var acquired = await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CancellingTheBuildStopsTheWait()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "training.lock");
        using var cancelled = new ManualResetEvent(false);
        using var held = TrainingLock.Acquire(path, () => { }, cancelled);

        var waiter = Task.Run(() => TrainingLock.Acquire(path, () => cancelled.Set(), cancelled));

        await Assert.ThrowsAsync<OperationCanceledException>(() => waiter.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
