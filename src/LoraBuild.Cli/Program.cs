using LoraBuild.Cli;

return CommandLine.Build().Parse(args).Invoke();
