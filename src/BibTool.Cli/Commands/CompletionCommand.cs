namespace BibTool.Cli.Commands;

/// <summary>
/// Prints a shell's completion script. Each script asks bibtool itself what may come next
/// (System.CommandLine's "[suggest:POSITION]" directive over the line typed so far), so commands,
/// options and --format values complete from the one declaration in CommandLine.cs, with no
/// other tool installed.
/// </summary>
public static class CompletionCommand
{
    public static readonly string[] Shells = ["bash", "zsh", "fish"];

    public static int Run(Arguments arguments, TextWriter stdout)
    {
        var shell = arguments.Positional.FirstOrDefault() ?? throw new UsageException($"completion needs a shell ({string.Join(", ", Shells)})");
        stdout.Write(shell switch
        {
            "bash" => Bash,
            "zsh" => Zsh,
            "fish" => Fish,
            _ => throw new UsageException($"unknown shell '{shell}' ({string.Join(", ", Shells)})"),
        });
        return ExitCode.Ok;
    }

    private const string Bash = """
        # bibtool completion for bash: eval "$(bibtool completion bash)" (e.g. in ~/.bashrc)
        _bibtool_complete() {
            local IFS=$'\n'
            local current="${COMP_WORDS[COMP_CWORD]}"
            COMPREPLY=( $(compgen -W "$(bibtool "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "$current") )
        }
        complete -o default -F _bibtool_complete bibtool

        """;

    private const string Zsh = """
        # bibtool completion for zsh: eval "$(bibtool completion zsh)" (e.g. in ~/.zshrc, after compinit)
        _bibtool() {
            local -a candidates
            candidates=("${(@f)$(bibtool "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)}")
            compadd -a candidates
        }
        compdef _bibtool bibtool

        """;

    private const string Fish = """
        # bibtool completion for fish: bibtool completion fish | source (e.g. in ~/.config/fish/config.fish)
        complete -c bibtool -f -a '(set -l line (commandline -cp); bibtool "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null)'

        """;
}
