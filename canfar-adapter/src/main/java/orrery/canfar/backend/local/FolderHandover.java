package orrery.canfar.backend.local;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import orrery.canfar.backend.local.HostAccounts.Account;

/**
 * Hands a session folder to the session account: the folder and what is in it, without following
 * symbolic links, and leaving alone files with several links (one of them may lie outside the folder).
 */
final class FolderHandover extends SimpleFileVisitor<Path> {

    private final UserPrincipal user;
    private final GroupPrincipal group;

    private FolderHandover(UserPrincipal user, GroupPrincipal group) {
        this.user = user;
        this.group = group;
    }

    /** Gives {@code folder} and its contents to {@code account}. */
    static void give(Path folder, Account account) throws IOException {
        UserPrincipalLookupService lookup = folder.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(Long.toString(account.uid()));
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(Long.toString(account.gid()));
        Files.walkFileTree(folder, new FolderHandover(user, group));
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
        own(dir);
        return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        if (attributes.isRegularFile() && linkCount(file) == 1) {
            own(file);
        }
        return FileVisitResult.CONTINUE;
    }

    private static int linkCount(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
    }

    private void own(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setOwner(user);
        view.setGroup(group);
    }
}
