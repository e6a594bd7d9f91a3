package orrery.canfar.domain;

/** Says in words what a process's exit status means (Java reports death by signal N as 128 + N). */
public final class ExitStatus {

    private static final String[] SIGNALS = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
            "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM"};

    private ExitStatus() {
    }

    public static String describe(int status) {
        if (status == 0) {
            return "the command exited with status 0";
        }
        if (status == 126) {
            return "the command could not be executed (exit status 126: not executable or permission denied)";
        }
        if (status == 127) {
            return "the command was not found (exit status 127)";
        }
        if (status > 128 && status < 128 + 65) {
            int signal = status - 128;
            String name = signal < SIGNALS.length ? " (SIG" + SIGNALS[signal] + ")" : "";
            return "the command was killed by signal " + signal + name + " (exit status " + status + ")";
        }
        return "the command exited with status " + status;
    }
}
