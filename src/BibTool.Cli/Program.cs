using System.Runtime.InteropServices;
using BibTool.Cli;

// Ctrl+C and SIGTERM cancel the run (the store keeps every record already written, an output being
// written is left as it was) and exit 130 or 143 as shells expect; a second signal ends it at once.
using var cancel = new CancellationTokenSource();
var signalled = 0;
void Stop(PosixSignalContext context, int code)
{
    if (Interlocked.CompareExchange(ref signalled, code, 0) != 0) return;
    context.Cancel = true;
    cancel.Cancel();
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, 130));
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, 143));
var code = await Cli.RunAsync(args, Console.Out, Console.Error, cancel.Token);
return signalled != 0 ? signalled : code;
