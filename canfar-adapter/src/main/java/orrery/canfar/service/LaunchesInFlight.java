package orrery.canfar.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Launch tasks this adapter is launching right now, so a redelivery or the watcher does not step in. */
@ApplicationScoped
public class LaunchesInFlight {

    private final Set<String> tasks = ConcurrentHashMap.newKeySet();

    boolean begin(String taskId) {
        return tasks.add(taskId);
    }

    void end(String taskId) {
        tasks.remove(taskId);
    }

    public boolean contains(String taskId) {
        return tasks.contains(taskId);
    }
}
