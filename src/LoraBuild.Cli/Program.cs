using LoraBuild.Cli;

return CommandLine.Invoke(args);
