using BibTool.Resolve;

namespace BibTool.Cli;

public static class Settings
{
    public static BibToolSettings From(Arguments arguments, TextWriter stderr)
    {
        try
        {
            return BibToolSettings.Load(name => arguments.Value("--" + name), Environment.GetEnvironmentVariable,
                Environment.GetEnvironmentVariables().Keys.Cast<string>());
        }
        catch (SettingsException e) { throw new UsageException(e.Message); }
    }
}
