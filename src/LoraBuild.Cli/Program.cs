var report = LoraBuild.Engine.Native.TorchRuntime.EnsureLoaded();
Console.WriteLine(report.Describe());
Console.WriteLine(TorchSharp.torch.ones(2).sum().item<float>());
