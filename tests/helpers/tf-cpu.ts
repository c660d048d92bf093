/** Unit tests run the engine on the tfjs CPU backend in Node. */
import * as tf from '@tensorflow/tfjs';

export async function useCpu(): Promise<void> {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  await tf.ready();
}
