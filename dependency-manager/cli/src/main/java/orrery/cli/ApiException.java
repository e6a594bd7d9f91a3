package orrery.cli;

/** The dependency manager answered with an error (problem+json), or could not be reached (status 0). */
final class ApiException extends RuntimeException {

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    int exitCode() {
        if (status == 404) {
            return ExitCodes.NOT_FOUND;
        }
        if (status == 401 || status == 403) {
            return ExitCodes.UNAUTHORIZED;
        }
        if (status >= 400 && status < 500) {
            return ExitCodes.REFUSED;
        }
        return ExitCodes.UNAVAILABLE;
    }
}
